"""When the tickets last changed, as a stamp a page keeps with what it drew.

The inbox asks again every few seconds for a list that most often has not changed. A
stamp read before the list says whether it could have: any ticket changed (every action
touches it through `effects.after_commit`), or this person has seen a ticket since (its
row stops standing out). The same stamp keys what is counted once and kept a moment (the
views' counts), so nothing kept outlives a change.

The stamps live in the shared cache (Redis, or the machine's file cache), so every web
process reads the same ones. A stamp lost from the cache is drawn anew: pages drawn
before then are simply drawn again."""

from __future__ import annotations

import secrets
import time

from django.core.cache import cache

# What depends on the clock as well (how long ago, service-level clocks, a saved view of
# what falls due) is drawn or counted again after this long whatever the stamp says.
HOLDS_FOR = 60

CHANGED = "tickets:changed"
SEEN = "tickets:seen:{}"


def _fresh() -> str:
    return secrets.token_hex(6)


def touch() -> None:
    """Some ticket changed: every stamp taken before no longer holds."""
    cache.set(CHANGED, _fresh(), None)


def touch_seen(user_id: int) -> None:
    """This person saw a ticket that had news for them: their stamps no longer hold."""
    cache.set(SEEN.format(user_id), _fresh(), None)


def stamp(user_id: int) -> str:
    """The stamp of everything a list drawn for this person now reflects. Take it before
    reading the list: a change that lands in between then only costs one more drawing."""
    keys = [CHANGED, SEEN.format(user_id)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _fresh(), None)  # two processes at once: the first one wins
            found[key] = cache.get(key, "")
    return ".".join(str(found[key]) for key in keys)


def shown(stamp: str) -> str:
    """What a page tells its next refresh it shows: the stamp it was drawn under, and when."""
    return f"{stamp}-{int(time.time())}"


def still_holds(shown: str, stamp: str) -> bool:
    """Whether a page that says it shows `shown` (from `shown()`, or anything a browser
    sends) is still what would be drawn under `stamp`: nothing changed since it was drawn,
    and that was less than HOLDS_FOR seconds ago."""
    drawn_under, _dash, when = shown.rpartition("-")
    if drawn_under != stamp or not (when.isascii() and when.isdigit()) or len(when) > 12:
        return False
    return 0 <= time.time() - int(when) < HOLDS_FOR
