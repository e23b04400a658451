"""Pieces of HTML drawn once and kept in each web process's memory (the `fragments` cache).

What a page draws of something that does not change after it is written — a message in a
thread — can be kept under a key that holds everything the drawing reads that could still
differ (the reader's language and time zone, a name, a number of files…): a change then
makes a new key, and the old entry ages out. The relative time ("hace 3 horas") changes at
every view, so the drawing leaves a mark where it goes and `with_ago` puts it in.

A page view writes nothing: the cache is memory, not the database.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Collection, Hashable, Mapping
from typing import TypeVar

from django.core.cache import caches
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from atiende.ui.templatetags.ui import ago

AGO = "<!--ago-->"  # where the relative time goes; nh3 drops comments from stored HTML
KEEP_SECONDS = 24 * 3600

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def digest(text: str) -> str:
    return hashlib.blake2s(text.encode(), digest_size=8).hexdigest()


def reader() -> str:
    """What of the reader every drawing depends on: their language and time zone."""
    return f"{translation.get_language() or ''}:{timezone.get_current_timezone_name()}"


def kept(keys: Mapping[K, str], draw: Callable[[Collection[K]], Mapping[K, T]]) -> dict[K, T]:
    """Each item's drawing: from the cache, or drawn (all the missing ones in one call of
    `draw`) and kept. An item `draw` does not return is left out."""
    cache = caches["fragments"]
    found: dict[str, T] = cache.get_many(list(keys.values()))
    missing = [item for item, key in keys.items() if key not in found]
    if missing:
        fresh = {keys[item]: drawn for item, drawn in draw(missing).items()}
        cache.set_many(fresh, KEEP_SECONDS)
        found.update(fresh)
    return {item: found[key] for item, key in keys.items() if key in found}


def with_ago(html: str, when: datetime.datetime) -> SafeString:
    """Kept HTML (drawn by a template, escaped there) with the relative time put in."""
    return mark_safe(html.replace(AGO, escape(ago(when)), 1))  # noqa: S308
