"""Times as pages write them, cheaply: lists write one per row, fifty rows a page.

- `elapsed`: what Django's `timesince(depth=1)` says ("5 minutos", "2 meses"), in Django's
  own words (its catalog translates them), without its lazy strings and pivot dates.
- `formatted`: Django's `date_format`, kept per moment and language. A list shows the same
  rows on every refresh, and `date_format` walks its format string character by character.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from django.utils import formats
from django.utils.html import avoid_wrapping
from django.utils.timezone import is_aware
from django.utils.translation import get_language, gettext, ngettext

# Django's own msgids for `timesince`, by unit length.
_UNITS = (
    (7 * 24 * 3600, "%(num)d week", "%(num)d weeks"),
    (24 * 3600, "%(num)d day", "%(num)d days"),
    (3600, "%(num)d hour", "%(num)d hours"),
    (60, "%(num)d minute", "%(num)d minutes"),
)


def _words(one: str, many: str, count: int) -> str:
    return _translated(one, many, count, get_language())


@lru_cache(maxsize=1024)
def _translated(one: str, many: str, count: int, _language: str | None) -> str:
    return avoid_wrapping(ngettext(one, many, count) % {"num": count})


def elapsed(when: datetime.datetime, now: datetime.datetime) -> str:
    """`timesince(when, now, depth=1)`: its calendar count of months and years, and plain
    division below a month, without building its lazy strings and pivot dates."""
    if is_aware(now) and is_aware(when):
        now = now.astimezone(when.tzinfo)
    if (now - when).days < 0 or now - when < datetime.timedelta(seconds=1):
        return _words("%(num)d minute", "%(num)d minutes", 0)
    months = (now.year - when.year) * 12 + (now.month - when.month)
    if when.day > now.day or (when.day == now.day and when.time() > now.time()):
        months -= 1
    if months >= 12:
        return _words("%(num)d year", "%(num)d years", months // 12)
    if months >= 1:
        return _words("%(num)d month", "%(num)d months", months)
    remaining = (now - when).total_seconds()
    for size, one, many in _UNITS:
        if remaining >= size:
            return _words(one, many, int(remaining // size))
    return _words("%(num)d minute", "%(num)d minutes", 0)


def ago(when: datetime.datetime, now: datetime.datetime) -> str:
    """ "hace 5 minutos", or "hace un momento" within the first minute."""
    if now - when < datetime.timedelta(minutes=1):
        return gettext("a moment ago")
    return gettext("%(when)s ago") % {"when": elapsed(when, now)}


def formatted(moment: datetime.datetime, format_name: str) -> str:
    """`date_format(moment, format_name)` in the active language. Equal instants in other
    time zones compare equal, so the local time and the zone are part of the key."""
    return _formatted(moment.isoformat(), str(moment.tzinfo), format_name, get_language(), moment)


@lru_cache(maxsize=4096)
def _formatted(
    _local: str, _zone: str, format_name: str, _language: str | None, moment: datetime.datetime
) -> str:
    return formats.date_format(moment, format_name)
