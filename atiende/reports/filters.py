"""What a report shows, read from the URL: the period and the properties to keep, and
the property to break the figures down by. Anything unreadable falls back to the default
instead of failing, so a shared link never breaks."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atiende.tickets.models import Channel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DEFAULT_DAYS = 30
LONGEST_DAYS = 3 * 366
EARLIEST, LATEST = 2000, 2999
DIGITS = re.compile(r"[0-9]{1,10}")
# URL parameter → rollup column; the order is the order of the form.
FILTERS = {
    "queue": "queue_id",
    "company": "organization_id",
    "category": "category_id",
    "type": "type_id",
    "priority": "priority_id",
    "channel": "channel",
    "engineer": "assignee_id",
}
GROUP_LABELS: dict[str, StrOrPromise] = {
    "queue": _("Queue"),
    "company": _("Company"),
    "category": _("Category"),
    "type": _("Type"),
    "priority": _("Priority"),
    "channel": _("Channel"),
    "engineer": _("Engineer"),
}
CHANNELS = frozenset(choice.value for choice in Channel)


@dataclass(frozen=True)
class ReportFilters:
    start: datetime.date
    end: datetime.date
    chosen: dict[str, int | str] = field(default_factory=dict)
    group: str = "queue"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def query(self, **changes: str) -> str:
        """This report's URL parameters, with some changed (for links and downloads)."""
        values: dict[str, str] = {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "by": self.group,
        }
        values.update({name: str(value) for name, value in self.chosen.items()})
        values.update(changes)
        return urlencode(values)


def _date(text: str | None) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat((text or "")[:10])
    except ValueError:
        return None
    # Far dates would overflow the period arithmetic; nothing was recorded before 2000.
    return day if EARLIEST <= day.year <= LATEST else None


def _choice(name: str, text: str) -> int | str | None:
    if name == "channel":
        return text if text in CHANNELS else None
    return int(text) if DIGITS.fullmatch(text) and 0 < int(text) < 2**31 else None


def parse(params: QueryDict, *, today: datetime.date | None = None) -> ReportFilters:
    today = today or timezone.localdate()
    end = min(_date(params.get("to")) or today, today)
    start = _date(params.get("from")) or end - datetime.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        start = end - datetime.timedelta(days=DEFAULT_DAYS - 1)
    start = max(start, end - datetime.timedelta(days=LONGEST_DAYS - 1))
    chosen: dict[str, int | str] = {}
    for name in FILTERS:
        value = _choice(name, params.get(name, "")[:20])
        if value is not None:
            chosen[name] = value
    group = params.get("by", "")
    return ReportFilters(start, end, chosen, group if group in FILTERS else "queue")
