"""Times as pages write them, cheaply: lists write one per row, fifty rows a page.

- `elapsed`: what Django's `timesince(depth=1)` says ("5 minutos"). Within four weeks it is
  plain division in Django's own words (its catalog translates them), without the calendar
  arithmetic and lazy strings; months and years are left to `timesince`.
- `formatted`: Django's `date_format`, kept per moment and language. A list shows the same
  rows on every refresh, and `date_format` walks its format string character by character.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from django.utils import formats
from django.utils.html import avoid_wrapping
from django.utils.timesince import timesince
from django.utils.translation import get_language, ngettext

# Django's own msgids for `timesince`, by unit length.
_UNITS = (
    (7 * 24 * 3600, "%(num)d week", "%(num)d weeks"),
    (24 * 3600, "%(num)d day", "%(num)d days"),
    (3600, "%(num)d hour", "%(num)d hours"),
    (60, "%(num)d minute", "%(num)d minutes"),
)
# Less than 28 days is less than any calendar month: weeks at most.
_WITHIN_A_MONTH = datetime.timedelta(days=28)


def elapsed(when: datetime.datetime, now: datetime.datetime) -> str:
    """`timesince(when, now, depth=1)`, for a `when` at least a minute before `now`."""
    gap = now - when
    if gap >= _WITHIN_A_MONTH:
        return timesince(when, now, depth=1)
    seconds = max(gap.days * 24 * 3600 + gap.seconds, 0)
    size, one, many = next((unit for unit in _UNITS if seconds >= unit[0]), _UNITS[-1])
    count = seconds // size
    return avoid_wrapping(ngettext(one, many, count) % {"num": count})


def formatted(moment: datetime.datetime, format_name: str) -> str:
    """`date_format(moment, format_name)` in the active language. Equal instants in other
    time zones compare equal, so the local time and the zone are part of the key."""
    return _formatted(moment.isoformat(), str(moment.tzinfo), format_name, get_language(), moment)


@lru_cache(maxsize=4096)
def _formatted(
    _local: str, _zone: str, format_name: str, _language: str | None, moment: datetime.datetime
) -> str:
    return formats.date_format(moment, format_name)
