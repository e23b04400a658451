"""The dashboard's figures, added up from the daily rollups (never from the tickets)."""

from __future__ import annotations

import datetime
import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet, Sum

from atiende.reports.filters import FILTERS, ReportFilters
from atiende.rollups.models import EVENTS, MINUTES, WHOLE_DAY, DailyRollup, DailyTotal

COUNTS = EVENTS


def median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def p90(values: list[int]) -> float | None:
    """The 90th percentile by the nearest-rank method: a value that really occurred."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[math.ceil(0.9 * len(ordered)) - 1])


def share(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


@dataclass
class Figures:
    """Totals over any set of rollup rows."""

    opened: int = 0
    reopened: int = 0
    resolved: int = 0
    first_response_count: int = 0
    first_response_on_time: int = 0
    resolution_count: int = 0
    resolution_on_time: int = 0
    rating_good: int = 0
    rating_neutral: int = 0
    rating_bad: int = 0
    first_response_minutes: list[int] = field(default_factory=list)
    resolution_minutes: list[int] = field(default_factory=list)

    @property
    def ratings(self) -> int:
        return self.rating_good + self.rating_neutral + self.rating_bad

    @property
    def first_response_median(self) -> float | None:
        return median(self.first_response_minutes)

    @property
    def first_response_p90(self) -> float | None:
        return p90(self.first_response_minutes)

    @property
    def resolution_median(self) -> float | None:
        return median(self.resolution_minutes)

    @property
    def resolution_p90(self) -> float | None:
        return p90(self.resolution_minutes)

    @property
    def first_response_compliance(self) -> float | None:
        return share(self.first_response_on_time, self.first_response_count)

    @property
    def resolution_compliance(self) -> float | None:
        return share(self.resolution_on_time, self.resolution_count)

    @property
    def reopen_rate(self) -> float | None:
        return share(self.reopened, self.opened)

    @property
    def satisfaction(self) -> float | None:
        """CSAT: the share of 🙂 among all ratings."""
        return share(self.rating_good, self.ratings)


@dataclass(frozen=True)
class Day:
    day: datetime.date
    opened: int
    resolved: int
    backlog: int


@dataclass(frozen=True)
class Week:
    day: datetime.date  # its Monday
    opened: int
    resolved: int
    backlog: int  # at the end of the week's last counted day


@dataclass
class Group:
    key: Any
    label: str
    figures: Figures


@dataclass
class Dashboard:
    filters: ReportFilters
    total: Figures
    days: list[Day]
    weeks: list[Week]
    groups: list[Group]

    @property
    def backlog_now(self) -> int:
        return self.days[-1].backlog if self.days else 0

    @property
    def backlog_change(self) -> int:
        """Backlog at the period's end minus at its start."""
        return self.days[-1].backlog - self.days[0].backlog if self.days else 0


def _rows(filters: ReportFilters) -> QuerySet[DailyRollup]:
    rows = DailyRollup.objects.filter(day__gte=filters.start, day__lte=filters.end)
    return rows.filter(**{FILTERS[name]: value for name, value in filters.chosen.items()})


def _totals(filters: ReportFilters, dimension: str = WHOLE_DAY) -> QuerySet[DailyTotal] | None:
    """The period's per-property totals that hold these filters' figures broken down by
    `dimension` (or whole days), when the filters allow: none, or one that is the
    breakdown itself (or any one, for whole days). `None` when the combination rows must
    be read instead."""
    totals = DailyTotal.objects.filter(day__gte=filters.start, day__lte=filters.end)
    if not filters.chosen:
        return totals.filter(dimension=dimension)
    if len(filters.chosen) > 1:
        return None
    [(name, value)] = filters.chosen.items()
    if dimension not in (WHOLE_DAY, FILTERS[name]):
        return None
    return totals.filter(dimension=FILTERS[name], value=str(value))


def _days(filters: ReportFilters) -> list[Day]:
    totals = _totals(filters)
    sums: Iterable[Mapping[str, Any]]
    if totals is not None:
        sums = totals.values("day", o=F("opened"), r=F("resolved"), b=F("backlog"))
    else:
        sums = (
            _rows(filters)
            .values("day")
            .annotate(o=Sum("opened"), r=Sum("resolved"), b=Sum("backlog"))
            .order_by()
        )
    per_day = {row["day"]: (row["o"], row["r"], row["b"]) for row in sums}
    days = []
    for offset in range(filters.days):
        day = filters.start + datetime.timedelta(days=offset)
        opened, resolved, backlog = per_day.get(day, (0, 0, 0))
        days.append(Day(day, opened, resolved, backlog))
    return days


def _weeks(days: list[Day]) -> list[Week]:
    weeks: dict[datetime.date, Week] = {}
    for day in days:
        monday = day.day - datetime.timedelta(days=day.day.weekday())
        before = weeks.get(monday)
        opened = day.opened + (before.opened if before else 0)
        resolved = day.resolved + (before.resolved if before else 0)
        weeks[monday] = Week(monday, opened, resolved, day.backlog)
    return list(weeks.values())


def _key(column: str, value: str) -> Any:
    """A total's value as the combination rows hold it: an id, a channel, or None."""
    if column == "channel":
        return value
    return int(value) if value else None


def _groups_from_totals(totals: QuerySet[DailyTotal], column: str) -> dict[Any, Figures]:
    """Tens of rows a day, read whole (those that only carry a backlog left out) and added
    up here."""
    counted = totals.exclude(
        opened=0,
        resolved=0,
        first_response_count=0,
        resolution_count=0,
        rating_good=0,
        rating_neutral=0,
        rating_bad=0,
    )
    sums: dict[str, list[int]] = {}
    minutes: dict[str, tuple[list[int], list[int]]] = {}
    width = len(COUNTS)
    for value, *row in counted.values_list("value", *COUNTS, *MINUTES).iterator(chunk_size=5000):
        total = sums.get(value)
        if total is None:
            total = sums[value] = [0] * width
            minutes[value] = ([], [])
        for index in range(width):
            total[index] += row[index]
        minutes[value][0].extend(row[width])
        minutes[value][1].extend(row[width + 1])
    return {
        _key(column, value): Figures(
            **dict(zip(COUNTS, total, strict=True)),
            first_response_minutes=minutes[value][0],
            resolution_minutes=minutes[value][1],
        )
        for value, total in sums.items()
    }


def _groups(filters: ReportFilters, column: str) -> dict[Any, Figures]:
    """From the totals when they hold the breakdown; otherwise counts summed by the
    database over the combination rows, and the duration lists read only from the rows
    that have any (most rows of a day only carry its backlog)."""
    totals = _totals(filters, column)
    if totals is not None:
        return _groups_from_totals(totals, column)
    rows = _rows(filters)
    groups: dict[Any, Figures] = {}
    sums = rows.values(column).annotate(**{name: Sum(name) for name in COUNTS}).order_by()
    for row in sums:
        if any(row[name] for name in COUNTS):
            figures = groups[row[column]] = Figures()
            for name in COUNTS:
                setattr(figures, name, row[name] or 0)
    timed = rows.filter(Q(first_response_count__gt=0) | Q(resolution_count__gt=0))
    for key, first_responses, resolutions in timed.values_list(
        column, "first_response_minutes", "resolution_minutes"
    ).iterator(chunk_size=5000):
        figures = groups.setdefault(key, Figures())
        figures.first_response_minutes.extend(first_responses)
        figures.resolution_minutes.extend(resolutions)
    return groups


def dashboard(filters: ReportFilters, labels: dict[Any, str] | None = None) -> Dashboard:
    """Every figure of the period: two reads of the daily totals when there is no filter
    or one, three grouped reads of the combination rows otherwise."""
    groups = _groups(filters, FILTERS[filters.group])
    total = Figures()
    for figures in groups.values():
        for name in COUNTS:
            setattr(total, name, getattr(total, name) + getattr(figures, name))
        total.first_response_minutes.extend(figures.first_response_minutes)
        total.resolution_minutes.extend(figures.resolution_minutes)
    days = _days(filters)
    names = labels or {}
    ordered = sorted(groups.items(), key=lambda item: (-item[1].opened, str(names.get(item[0], item[0]))))
    return Dashboard(
        filters,
        total,
        days,
        _weeks(days),
        [Group(key, str(names.get(key, key)), figures) for key, figures in ordered],
    )
