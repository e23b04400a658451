"""What a list's URL may ask for. Lists read their filters from the URL, where anyone can
write anything: a day in year 9999 (one day later does not exist), year 0, a number too
big for the database. Dates outside these bounds and numbers that are not plain ids are
refused by the filter forms with a message, or dropped where the desk parses them, never
a server error."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)
# Ids are positive and fit the database's integer columns on every backend.
LARGEST_ID = 2**31 - 1


def within(day: datetime.date | None) -> datetime.date | None:
    """The day when a list may filter by it; None for one outside the bounds."""
    return day if day is not None and EARLIEST <= day <= LATEST else None


def parse_date(value: str | None) -> datetime.date | None:
    """A day written as YYYY-MM-DD within the bounds; None for anything else."""
    try:
        return within(datetime.date.fromisoformat((value or "").strip()))
    except ValueError:
        return None


def parse_id(value: str | None) -> int | None:
    """A database id written in plain digits; None for anything else."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= LARGEST_ID else None


class FilterDateField(forms.DateField):
    """A date a list filters by, between `EARLIEST` and `LATEST`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.extend(
            [
                MinValueValidator(EARLIEST, message=_("Choose a date from %(limit_value)s on.")),
                MaxValueValidator(LATEST, message=_("Choose a date up to %(limit_value)s.")),
            ]
        )
