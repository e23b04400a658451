"""The signed-in user, read once and kept in each web process's memory until any account
changes.

Every page begins by reading its user with their roles (`SignedInUsers`): one statement
and three models built, about a millisecond of CPU, the same answer on every page. The
answer is kept here, per process, as the pickled row it was read as: each request
unpickles a copy of its own, so nothing one request changes on its user reaches another.

What was kept is good until any save or delete of an account, an engineer or a contact
(signing in included: its `last_login` is part of what a password-reset link checks), which
renews one version in the shared cache (`atiende.kept.Versioned`); a copy kept under an
older version is read again. Nothing leaves the process: the shared cache holds the version
only, never a password's hash.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from atiende.kept import Versioned

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from atiende.accounts.models import User

# How many people a process keeps (about a kilobyte each), and for how long at most: with
# the in-memory cache of a single process, no other process can renew the version.
MAX_USERS = 5_000
MAX_AGE = 300.0

accounts = Versioned("signed-in-users")
_kept: OrderedDict[int, tuple[str, float, bytes]] = OrderedDict()
_lock = threading.Lock()


def read(queryset: QuerySet[User], pk: Any) -> User:
    """The user with this key, with their roles: this process's copy while no account
    changed since it was read, else read by `queryset` (raising `DoesNotExist` as a read
    would). The version is read before the row, so a row read while an account changes is
    kept under the version that change retires."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        return queryset.get(pk=pk)
    version = accounts.version()
    with _lock:
        found = _kept.get(key)
    if found is not None and found[0] == version and time.monotonic() - found[1] < MAX_AGE:
        user: User = pickle.loads(found[2])  # noqa: S301 (pickled by this process, never received)
        return user
    user = queryset.get(pk=key)
    if not accounts.may_keep():
        return user
    with _lock:
        _kept[key] = (version, time.monotonic(), pickle.dumps(user))
        _kept.move_to_end(key)
        while len(_kept) > MAX_USERS:
            _kept.popitem(last=False)
    return user


def forget() -> None:
    """Drop every copy this process kept (tests)."""
    with _lock:
        _kept.clear()


def watch() -> None:
    from atiende.accounts.models import Agent, Contact, User

    accounts.watch([User, Agent, Contact])
