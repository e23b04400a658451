"""Business-time arithmetic: pure functions over a `BusinessCalendar`, no database.

A calendar says, for each day in its own time zone, which stretches of the day are
working time: the weekday's ranges, unless the day is a national holiday of the
calendar's country or one of its custom closed dates. Every computation is done on UTC
instants, and each day's ranges are turned into instants through `zoneinfo`, so a zone
that changes its offset (Mexico City before 2023) is counted by its real hours.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import holidays

UTC = datetime.UTC
ZERO = datetime.timedelta(0)
ONE_DAY = datetime.timedelta(days=1)
MIDNIGHT = datetime.time(0)
# A target far beyond any service level; a calendar that never opens fails loudly instead
# of looping for ever.
MAX_DAYS = 3 * 366

TimeRange = tuple[datetime.time, datetime.time]


@functools.lru_cache(maxsize=32)
def national_holidays(country: str, subdivision: str = "") -> holidays.HolidayBase:
    """The country's public holidays (from the `holidays` package), years added as asked."""
    return holidays.country_holidays(country, subdiv=subdivision or None)


@dataclass(frozen=True)
class BusinessCalendar:
    """Working hours per weekday (Monday first; several ranges a day allowed; a range
    that ends at 00:00 runs to midnight), a time zone, an optional country whose national
    holidays are closed, and custom closed dates."""

    time_zone: ZoneInfo
    weekly: tuple[tuple[TimeRange, ...], ...]
    country: str = ""
    closed_dates: frozenset[datetime.date] = field(default_factory=frozenset)
    # Each day's working stretches once worked out: a list asks the same few days for
    # every row it shows (not part of what the calendar is).
    _days: dict[datetime.date, list[tuple[datetime.datetime, datetime.datetime]]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise ValueError("weekly needs seven days, Monday first")
        for ranges in self.weekly:
            for start, end in ranges:
                if end != MIDNIGHT and end <= start:
                    raise ValueError(f"the range {start}–{end} ends before it starts")

    @classmethod
    def build(
        cls,
        time_zone: str,
        hours: Mapping[int, Sequence[TimeRange]],
        *,
        country: str = "",
        closed_dates: Sequence[datetime.date] = (),
    ) -> BusinessCalendar:
        """From a time-zone name and {weekday: [(start, end), ...]} (0 is Monday)."""
        weekly = tuple(tuple(sorted(hours.get(day, ()))) for day in range(7))
        return cls(ZoneInfo(time_zone), weekly, country, frozenset(closed_dates))

    @property
    def has_hours(self) -> bool:
        return any(self.weekly)

    def is_closed(self, day: datetime.date) -> bool:
        if day in self.closed_dates:
            return True
        return bool(self.country) and day in national_holidays(self.country)

    def intervals(self, day: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
        """The working stretches of a local day, as UTC instants, in order."""
        spans = self._days.get(day)
        if spans is None:
            spans = self._days[day] = self._worked_out(day)
        return spans

    def _worked_out(self, day: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
        if self.is_closed(day):
            return []
        spans = []
        for start, end in self.weekly[day.weekday()]:
            opens = datetime.datetime.combine(day, start, tzinfo=self.time_zone)
            end_day = day + ONE_DAY if end == MIDNIGHT else day
            closes = datetime.datetime.combine(end_day, end, tzinfo=self.time_zone)
            opens_utc, closes_utc = opens.astimezone(UTC), closes.astimezone(UTC)
            if closes_utc > opens_utc:
                spans.append((opens_utc, closes_utc))
        return spans

    def local_date(self, instant: datetime.datetime) -> datetime.date:
        return instant.astimezone(self.time_zone).date()

    def _days_from(self, instant: datetime.datetime) -> Iterator[datetime.date]:
        if not self.has_hours:
            raise ValueError("this calendar has no working hours")
        # The day before too: a range that ends at midnight belongs to the previous date.
        day = self.local_date(instant) - ONE_DAY
        for _ in range(MAX_DAYS):
            yield day
            day += ONE_DAY
        raise ValueError("no working time found within three years")


def _require_aware(*instants: datetime.datetime) -> None:
    for instant in instants:
        if instant.tzinfo is None:
            raise ValueError("business time needs aware datetimes")


def add_business_time(
    calendar: BusinessCalendar, start: datetime.datetime, amount: datetime.timedelta
) -> datetime.datetime:
    """The instant when `amount` of working time has passed since `start`, as a UTC
    datetime. Zero from outside working hours is `start` itself; a positive amount that
    ends exactly at closing time ends there, not at the next opening."""
    _require_aware(start)
    if amount < ZERO:
        raise ValueError("only forward: the amount must not be negative")
    cursor = start.astimezone(UTC)
    if amount == ZERO:
        return cursor
    left = amount
    for day in calendar._days_from(cursor):
        for opens, closes in calendar.intervals(day):
            if closes <= cursor:
                continue
            begin = max(opens, cursor)
            if closes - begin >= left:
                return begin + left
            left -= closes - begin
    raise AssertionError("unreachable")  # pragma: no cover


def business_time_between(
    calendar: BusinessCalendar, start: datetime.datetime, end: datetime.datetime
) -> datetime.timedelta:
    """Working time from `start` to `end`; negative when `end` comes first.

    The days at either end are clipped to `start` and `end`; every day in between counts
    whole, by a length kept per calendar and day: a ticket overdue for a year asks of 365
    days, and a list asks it for each of its rows on every view."""
    _require_aware(start, end)
    if end < start:
        return -business_time_between(calendar, end, start)
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    # The day before too: a range that ends at midnight belongs to the previous date.
    first_day, last_day = calendar.local_date(start) - ONE_DAY, calendar.local_date(end)
    # Days from two after `start`'s to two before `end`'s lie wholly between them (a day's
    # ranges end by the next midnight; a day's margin leaves room for a change of offset).
    whole_from, whole_to = first_day + 3 * ONE_DAY, last_day - 2 * ONE_DAY
    if whole_from > whole_to:
        return _clipped(calendar, start, end, first_day, last_day)
    lengths = _day_lengths(calendar)
    total = _clipped(calendar, start, end, first_day, whole_from - ONE_DAY)
    day = whole_from
    while day <= whole_to:
        length = lengths.get(day)
        if length is None:
            length = lengths[day] = sum((closes - opens for opens, closes in calendar.intervals(day)), ZERO)
        total += length
        day += ONE_DAY
    return total + _clipped(calendar, start, end, whole_to + ONE_DAY, last_day)


def _clipped(
    calendar: BusinessCalendar,
    start: datetime.datetime,
    end: datetime.datetime,
    first_day: datetime.date,
    last_day: datetime.date,
) -> datetime.timedelta:
    """Working time within [`start`, `end`] of the days from `first_day` to `last_day`."""
    total = ZERO
    day = first_day
    while day <= last_day:
        for opens, closes in calendar.intervals(day):
            overlap = min(closes, end) - max(opens, start)
            if overlap > ZERO:
                total += overlap
        day += ONE_DAY
    return total


@functools.lru_cache(maxsize=64)
def _day_lengths(calendar: BusinessCalendar) -> dict[datetime.date, datetime.timedelta]:
    """Each day's working time, filled as asked, per calendar (equal calendars share one:
    a calendar's hours and dates are part of what makes it equal)."""
    return {}


def add_business_minutes(
    calendar: BusinessCalendar, start: datetime.datetime, minutes: int
) -> datetime.datetime:
    return add_business_time(calendar, start, datetime.timedelta(minutes=minutes))


def business_minutes_between(
    calendar: BusinessCalendar, start: datetime.datetime, end: datetime.datetime
) -> int:
    """Whole working minutes from `start` to `end`, rounded toward zero; negative when
    `end` comes first."""
    seconds = business_time_between(calendar, start, end).total_seconds()
    return int(seconds / 60)


def always_open(time_zone: str = "UTC") -> BusinessCalendar:
    """Every hour of every day: used when no calendar applies to a ticket."""
    return BusinessCalendar.build(time_zone, dict.fromkeys(range(7), ((MIDNIGHT, MIDNIGHT),)))
