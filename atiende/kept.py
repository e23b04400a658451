"""Short lists that pages offer and that change rarely, kept in each process's memory.

A `Kept` reads its lists once and keeps them until they may have changed: any save or
delete of a row it lists changes a version kept in the shared cache (`Versioned`), which
every process compares on each use. With Redis every process sees a change at once; with
the in-memory cache of a single-machine install, another process's copy also expires
after `max_age` seconds.

Nothing renews a version when a transaction rolls back, so what is read inside a transaction
that changed a watched row is used but not kept: the copy would outlive the rows it shows.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")


@dataclass(frozen=True)
class _Copy(Generic[T]):
    version: str
    read_at: float
    value: T


def _transaction() -> tuple[object, str | None] | None:
    """This thread's own transaction, told apart from any other: its outermost atomic block
    and that block's savepoint (the same block can open one transaction after another);
    None outside one. A test case's enclosing transaction stands for autocommit: it never
    commits, and the code under test runs as it would outside one."""
    connection = transaction.get_connection()
    blocks, savepoints = connection.atomic_blocks, connection.savepoint_ids
    offset = len(blocks) - len(savepoints)  # the outermost block opens no savepoint
    for index, block in enumerate(blocks):
        if not getattr(block, "_from_testcase", False):
            return block, savepoints[index - offset] if index >= offset else None
    return None


class Versioned:
    """A version in the shared cache that any save or delete of the watched models changes:
    what was kept under an older version is not read again."""

    def __init__(self, name: str, *, quiet_fields: frozenset[str] = frozenset()) -> None:
        self.version_key = f"atiende:catalog:{name}"
        self.name = name
        # A save of only these fields changes nothing kept (signing in stamps `last_login`).
        self.quiet_fields = quiet_fields
        self._local = threading.local()

    def version(self) -> str:
        version = cache.get(self.version_key)
        if version is None:
            version = uuid.uuid4().hex
            cache.add(self.version_key, version, None)
            version = cache.get(self.version_key, version)
        return str(version)

    def changed(self, update_fields: frozenset[str] | None = None, **_kwargs: Any) -> None:
        """Something kept was saved or deleted: every process reads it again. The version
        changes once now and once more on commit: a reader between the two read the rows
        as they were, and what it kept under the first change must not be used."""
        if update_fields is not None and self.quiet_fields and set(update_fields) <= self.quiet_fields:
            return
        self._renew()
        changed_in = _transaction()
        if changed_in is not None:
            self._local.changed_in = changed_in
        transaction.on_commit(self._committed)

    def _committed(self) -> None:
        self._local.changed_in = None
        self._renew()

    def _renew(self) -> None:
        cache.set(self.version_key, uuid.uuid4().hex, None)

    def may_keep(self) -> bool:
        """Whether what this thread reads now may be kept: not inside the transaction that
        changed a watched row. It may still roll back, and nothing renews the version then.
        Once it ends (committed or rolled back), what is read is kept again."""
        changed_in = getattr(self._local, "changed_in", None)
        if changed_in is None:
            return True
        now = _transaction()
        if now is not None and now[0] is changed_in[0] and now[1] == changed_in[1]:
            return False
        self._local.changed_in = None
        return True

    def watch(
        self, sources: Iterable[type[models.Model]], *, relations: Iterable[type[models.Model]] = ()
    ) -> None:
        """Read again after any save or delete of these models, and any change of these
        many-to-many relations (their `through` models), from an app's `ready()`."""
        for model in sources:
            uid = f"{self.name}.{model._meta.label}"
            post_save.connect(self.changed, sender=model, dispatch_uid=f"{uid}.save", weak=False)
            post_delete.connect(self.changed, sender=model, dispatch_uid=f"{uid}.delete", weak=False)
        for through in relations:
            uid = f"{self.name}.{through._meta.label}.m2m"
            m2m_changed.connect(self.changed, sender=through, dispatch_uid=uid, weak=False)


class Kept(Versioned, Generic[T]):
    """Lists read once per process and kept until their version changes."""

    def __init__(
        self,
        name: str,
        read: Callable[[], T],
        *,
        max_age: float = 60.0,
        quiet_fields: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(name, quiet_fields=quiet_fields)
        self.read = read
        self.max_age = max_age
        self._last: _Copy[T] | None = None
        self._lock = threading.Lock()

    def load(self) -> T:
        """The lists as they stand: this process's copy when nothing changed since it was read."""
        version = self.version()
        copy = self._last
        if copy is not None and copy.version == version and time.monotonic() - copy.read_at < self.max_age:
            return copy.value
        value = self.read()
        if self.may_keep():
            with self._lock:
                self._last = _Copy(version, time.monotonic(), value)
        return value
