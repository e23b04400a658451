"""Counting one day into `DailyRollup` rows.

A ticket counts on the local day of each event: opened (and *continued* when it continues
a closed ticket) on its creation day, resolved on the day of `resolved_at`, its first
response and resolution times (business minutes, from its SLA clocks: pauses, calendars
and holidays already counted there) on the day each target was met, its rating (with its
current face) on the day it was first given, and in the backlog of every day it ended
still open. Rows carry the ticket's properties as they are when the day
is counted; recounting a day (`roll_up_day`) picks up later changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from atiende.rollups.models import COUNTED, DIMENSIONS, MINUTES, WHOLE_DAY, DailyRollup, DailyTotal
from atiende.satisfaction import queries as satisfaction
from atiende.sla.models import TicketSla
from atiende.tickets.models import LinkKind, Ticket

Key = tuple[Any, ...]
TICKET_DIMENSIONS = tuple(f"ticket__{name}" for name in DIMENSIONS)


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The local day's first instant and the next day's, in the installation's zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime.combine(day, datetime.time(), zone)
    return start, datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), zone)


def _key(values: dict[str, Any], prefix: str = "") -> Key:
    return tuple(values[prefix + name] for name in DIMENSIONS)


def _rows(rows: dict[Key, DailyRollup], day: datetime.date, key: Key) -> DailyRollup:
    row = rows.get(key)
    if row is None:
        row = rows[key] = DailyRollup(day=day, **dict(zip(DIMENSIONS, key, strict=True)))
        row.first_response_minutes, row.resolution_minutes = [], []
    return row


def _clocks(field: str, start: datetime.datetime, end: datetime.datetime) -> QuerySet[TicketSla]:
    return TicketSla.objects.filter(
        **{f"{field}_met_at__gte": start, f"{field}_met_at__lt": end, f"{field}_elapsed__isnull": False}
    )


def count_day(day: datetime.date) -> list[DailyRollup]:
    """The day's rows, unsaved, in a stable order."""
    start, end = day_bounds(day)
    rows: dict[Key, DailyRollup] = {}
    opened = Ticket.objects.filter(created_at__gte=start, created_at__lt=end)
    continued = set(
        opened.filter(links_out__kind=LinkKind.CONTINUES, links_out__target__closed_at__isnull=False)
        .values_list("id", flat=True)
        .distinct()
    )
    for values in opened.values("id", *DIMENSIONS).iterator():
        row = _rows(rows, day, _key(values))
        row.opened += 1
        row.reopened += values["id"] in continued
    resolved = Ticket.objects.filter(resolved_at__gte=start, resolved_at__lt=end)
    for values in resolved.values(*DIMENSIONS).iterator():
        _rows(rows, day, _key(values)).resolved += 1
    still_open = Ticket.objects.filter(created_at__lt=end).filter(
        Q(resolved_at__isnull=True) | Q(resolved_at__gte=end),
        Q(closed_at__isnull=True) | Q(closed_at__gte=end),
    )
    for values in still_open.values(*DIMENSIONS).iterator():
        _rows(rows, day, _key(values)).backlog += 1
    for target in ("first_response", "resolution"):
        fields = (f"{target}_elapsed", f"{target}_minutes")
        for values in _clocks(target, start, end).values(*TICKET_DIMENSIONS, *fields).iterator():
            row = _rows(rows, day, _key(values, "ticket__"))
            elapsed, allowed = values[fields[0]], values[fields[1]]
            setattr(row, f"{target}_count", getattr(row, f"{target}_count") + 1)
            on_time = allowed is None or elapsed <= allowed
            setattr(row, f"{target}_on_time", getattr(row, f"{target}_on_time") + on_time)
            getattr(row, f"{target}_minutes").append(elapsed)
    for key, score in satisfaction.counts_between(start, end):
        row = _rows(rows, day, key)
        setattr(row, f"rating_{score}", getattr(row, f"rating_{score}") + 1)
    for row in rows.values():
        row.first_response_minutes.sort()
        row.resolution_minutes.sort()
    return [rows[key] for key in sorted(rows, key=lambda key: tuple((v is None, v) for v in key))]


def add_up(rows: Iterable[Any], make: Callable[..., Any] = DailyTotal) -> list[Any]:
    """One day's combination rows added up per value of each property and for the whole
    day: unsaved `make(...)` rows (`DailyTotal`, or its historical model in a migration)."""
    totals: dict[tuple[str, Any], Any] = {}
    for row in rows:
        for dimension in (WHOLE_DAY, *DIMENSIONS):
            value = getattr(row, dimension) if dimension else None
            total = totals.get((dimension, value))
            if total is None:
                text = "" if value is None else str(value)
                total = totals[dimension, value] = make(day=row.day, dimension=dimension, value=text)
                for name in MINUTES:
                    setattr(total, name, [])
            for name in COUNTED:
                setattr(total, name, getattr(total, name) + getattr(row, name))
            for name in MINUTES:
                getattr(total, name).extend(getattr(row, name))
    for total in totals.values():
        for name in MINUTES:
            getattr(total, name).sort()
    return list(totals.values())


def roll_up_day(day: datetime.date) -> int:
    """Recount one day: its rows, and their totals, are replaced in one transaction.
    Returns the count of combination rows."""
    rows = count_day(day)
    totals = add_up(rows)
    with transaction.atomic():
        DailyRollup.objects.filter(day=day).delete()
        DailyTotal.objects.filter(day=day).delete()
        DailyRollup.objects.bulk_create(rows, batch_size=500)
        DailyTotal.objects.bulk_create(totals, batch_size=500)
    return len(rows)


def roll_up_days(first: datetime.date, last: datetime.date) -> int:
    """Recount every day from `first` to `last` included."""
    total, day = 0, first
    while day <= last:
        total += roll_up_day(day)
        day += datetime.timedelta(days=1)
    return total
