"""The monthly SLA summary per company and queue: tickets opened in the month that had
targets, how many met them all, how many breached one, and the median business time to
first response and to resolution."""

from __future__ import annotations

import calendar as month_calendar
import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from atiende import exports
from atiende.sla.models import TicketSla
from atiende.sla.timers import TARGETS


@dataclass
class SummaryRow:
    company: str
    queue: str
    tickets: int = 0
    met: int = 0
    breached: int = 0
    first_responses: list[int] = field(default_factory=list)
    resolutions: list[int] = field(default_factory=list)

    @property
    def median_first_response(self) -> float | None:
        return statistics.median(self.first_responses) if self.first_responses else None

    @property
    def median_resolution(self) -> float | None:
        return statistics.median(self.resolutions) if self.resolutions else None

    @property
    def met_share(self) -> float | None:
        return 100 * self.met / self.tickets if self.tickets else None


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The month's first and the next month's first instant, in the installation's zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime(year, month, 1, tzinfo=zone)
    days = month_calendar.monthrange(year, month)[1]
    return start, datetime.datetime.combine(
        start.date() + datetime.timedelta(days=days), datetime.time(), zone
    )


def _outcome(values: dict[str, object], now: datetime.datetime) -> tuple[bool, bool]:
    """(met every target, breached one) for one ticket's clocks."""
    all_met, breached = True, False
    moment = values["paused_since"] or now
    for target in TARGETS:
        minutes = values[f"{target}_minutes"]
        if minutes is None:
            continue
        elapsed, due = values[f"{target}_elapsed"], values[f"{target}_due_at"]
        if values[f"{target}_met_at"] is not None:
            late = isinstance(elapsed, int) and isinstance(minutes, int) and elapsed > minutes
        else:
            all_met = False
            late = (
                isinstance(due, datetime.datetime) and isinstance(moment, datetime.datetime) and moment >= due
            )
        if late:
            breached, all_met = True, False
    return all_met, breached


def monthly_summary(year: int, month: int, *, now: datetime.datetime | None = None) -> list[SummaryRow]:
    """One row per company and queue, ordered by company then queue, then the total."""
    start, end = month_bounds(year, month)
    moment = now or timezone.now()
    fields = ["paused_since"] + [
        f"{target}_{name}" for target in TARGETS for name in ("minutes", "elapsed", "due_at", "met_at")
    ]
    rows = TicketSla.objects.filter(ticket__created_at__gte=start, ticket__created_at__lt=end).values(
        "ticket__organization__name", "ticket__queue__name", *fields
    )
    groups: dict[tuple[str, str], SummaryRow] = {}
    total = SummaryRow(_("All companies"), _("All queues"))
    for values in rows.iterator():
        key = (str(values["ticket__organization__name"]), str(values["ticket__queue__name"]))
        row = groups.setdefault(key, SummaryRow(*key))
        met, breached = _outcome(values, moment)
        for each in (row, total):
            each.tickets += 1
            each.met += met
            each.breached += breached
            if values["first_response_met_at"] is not None and values["first_response_elapsed"] is not None:
                each.first_responses.append(values["first_response_elapsed"])
            if values["resolution_met_at"] is not None and values["resolution_elapsed"] is not None:
                each.resolutions.append(values["resolution_elapsed"])
    ordered = [groups[key] for key in sorted(groups, key=lambda key: (key[0].lower(), key[1].lower()))]
    return [*ordered, total] if ordered else []


def _minutes(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def summary_csv(rows: Iterable[SummaryRow]) -> str:
    """The summary as CSV text; names that start like a formula
    are written as text (see `atiende.exports`)."""
    headers: list[exports.Cell] = [
        _("Company"),
        _("Queue"),
        _("Tickets"),
        _("Met"),
        _("Breached"),
        _("Median first response (business minutes)"),
        _("Median resolution (business minutes)"),
    ]
    lines: list[list[exports.Cell]] = [
        [
            row.company,
            row.queue,
            row.tickets,
            row.met,
            row.breached,
            _minutes(row.median_first_response),
            _minutes(row.median_resolution),
        ]
        for row in rows
    ]
    return exports.csv_text(headers, lines)
