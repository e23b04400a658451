"""The dashboard's figures, added up from the daily rollups (never from the tickets)."""

from __future__ import annotations

import datetime
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from atiende.reports.filters import FILTERS, ReportFilters
from atiende.rollups.models import DailyRollup

COUNTS = (
    "opened",
    "reopened",
    "resolved",
    "first_response_count",
    "first_response_on_time",
    "resolution_count",
    "resolution_on_time",
    "rating_good",
    "rating_neutral",
    "rating_bad",
)


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

    def add(self, row: dict[str, Any]) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + row[name])
        self.first_response_minutes.extend(row["first_response_minutes"])
        self.resolution_minutes.extend(row["resolution_minutes"])

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


def rows_for(filters: ReportFilters) -> Iterable[dict[str, Any]]:
    rows = DailyRollup.objects.filter(day__gte=filters.start, day__lte=filters.end)
    rows = rows.filter(**{FILTERS[name]: value for name, value in filters.chosen.items()})
    fields = ("day", *FILTERS.values(), *COUNTS, "backlog", "first_response_minutes", "resolution_minutes")
    values: Iterable[dict[str, Any]] = rows.values(*fields).iterator(chunk_size=5000)
    return values


def _days(filters: ReportFilters, per_day: dict[datetime.date, list[int]]) -> list[Day]:
    days = []
    for offset in range(filters.days):
        day = filters.start + datetime.timedelta(days=offset)
        opened, resolved, backlog = per_day.get(day, [0, 0, 0])
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


def dashboard(filters: ReportFilters, labels: dict[Any, str] | None = None) -> Dashboard:
    """Every figure of the period at once, in one pass over its rows."""
    total = Figures()
    per_day: dict[datetime.date, list[int]] = {}
    groups: dict[Any, Figures] = {}
    column = FILTERS[filters.group]
    for row in rows_for(filters):
        total.add(row)
        day = per_day.setdefault(row["day"], [0, 0, 0])
        day[0] += row["opened"]
        day[1] += row["resolved"]
        day[2] += row["backlog"]
        if row["opened"] or row["resolved"] or any(row[name] for name in COUNTS[3:]):
            groups.setdefault(row[column], Figures()).add(row)
    days = _days(filters, per_day)
    names = labels or {}
    ordered = sorted(groups.items(), key=lambda item: (-item[1].opened, str(names.get(item[0], item[0]))))
    return Dashboard(
        filters,
        total,
        days,
        _weeks(days),
        [Group(key, str(names.get(key, key)), figures) for key, figures in ordered],
    )
