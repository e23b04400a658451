"""The short lists the inbox's filters and bulk bar offer (stages, priorities, types,
categories, queues, tags, agents), kept in memory between requests.

Every inbox page needs them and they change rarely, so each process keeps the last copy it
read and reads them again when they may have changed: any save or delete of one of these
rows (or of a user) changes a version kept in the shared cache, which every process
compares on each use. With Redis every process sees a change at once; with the in-memory
cache of a single-machine install, another process's copy also expires after
`MAX_AGE` seconds.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from atiende.accounts.models import Agent, User
from atiende.tickets.models import Category, Priority, Queue, Status, Tag, TicketType

VERSION_KEY = "atiende:desk:catalog"
MAX_AGE = 60.0
MAX_DRAWN = 500


@dataclass(frozen=True)
class Catalog:
    statuses: list[Status]
    priorities: list[Priority]
    types: list[TicketType]
    categories: list[Category]
    queues: list[Queue]
    tags: list[Tag]
    agents: list[Agent]
    # HTML drawn from these lists (the filter form, the bulk bar's choices), kept as long as
    # this copy is: a change to the catalog brings a new copy and so new drawings.
    drawn: dict[Hashable, str] = field(default_factory=dict, compare=False, repr=False)

    def keep(self, key: Hashable, draw: Callable[[], str]) -> str:
        """What `draw` returns for `key`, drawn once for this copy of the catalog."""
        html = self.drawn.get(key)
        if html is None:
            if len(self.drawn) >= MAX_DRAWN:
                self.drawn.clear()
            html = self.drawn[key] = draw()
        return html

    @classmethod
    def read(cls) -> Catalog:
        return cls(
            statuses=list(Status.objects.all()),
            priorities=list(Priority.objects.all()),
            types=list(TicketType.objects.filter(is_active=True)),
            categories=sorted(
                Category.objects.filter(is_active=True).select_related("parent"), key=lambda c: c.name
            ),
            queues=list(Queue.objects.filter(is_active=True)),
            tags=list(Tag.objects.all()),
            agents=list(Agent.objects.engineers().select_related("user").order_by("user__full_name")),
        )


@dataclass(frozen=True)
class _Copy:
    version: str
    read_at: float
    catalog: Catalog


_last: _Copy | None = None
_lock = threading.Lock()


def load() -> Catalog:
    """The catalog as it stands: this process's copy when nothing changed since it was read."""
    global _last
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    copy = _last
    if copy is not None and copy.version == version and time.monotonic() - copy.read_at < MAX_AGE:
        return copy.catalog
    catalog = Catalog.read()
    with _lock:
        _last = _Copy(version, time.monotonic(), catalog)
    return catalog


def changed(update_fields: frozenset[str] | None = None, **_kwargs: Any) -> None:
    """Something the catalog lists was saved or deleted: every process reads it again
    (signing in, which only stamps `last_login`, changes nothing listed)."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def watch() -> None:
    """Connect `changed` to the models the catalog lists (from the app's `ready()`)."""
    for model in (Status, Priority, TicketType, Category, Queue, Tag, Agent, User):
        post_save.connect(changed, sender=model, dispatch_uid=f"desk.catalog.save.{model.__name__}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"desk.catalog.delete.{model.__name__}")
    m2m_changed.connect(changed, sender=Queue.agents.through, dispatch_uid="desk.catalog.queue_agents")
