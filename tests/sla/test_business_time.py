"""Business-time arithmetic on calendars of Bogotá and Mexico City."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atiende.sla.business_time import (
    BusinessCalendar,
    add_business_minutes,
    always_open,
    business_minutes_between,
    business_time_between,
)

BOGOTA = ZoneInfo("America/Bogota")
MEXICO = ZoneInfo("America/Mexico_City")
MORNING_AND_AFTERNOON = ((dt.time(8), dt.time(12)), (dt.time(13), dt.time(17)))  # 8 h with a lunch break


def bogota(**options) -> BusinessCalendar:
    hours = dict.fromkeys(range(5), MORNING_AND_AFTERNOON)
    return BusinessCalendar.build("America/Bogota", hours, country="CO", **options)


def mexico() -> BusinessCalendar:
    return BusinessCalendar.build(
        "America/Mexico_City", dict.fromkeys(range(5), ((dt.time(9), dt.time(18)),)), country="MX"
    )


def at(zone: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=zone)


def test_minutes_inside_one_working_stretch_are_plain_minutes():
    start = at(BOGOTA, 2025, 11, 19, 9, 0)  # a Wednesday
    assert add_business_minutes(bogota(), start, 90) == at(BOGOTA, 2025, 11, 19, 10, 30)


def test_the_lunch_break_does_not_count():
    start = at(BOGOTA, 2025, 11, 19, 11, 30)
    assert add_business_minutes(bogota(), start, 60) == at(BOGOTA, 2025, 11, 19, 13, 30)
    assert business_minutes_between(bogota(), start, at(BOGOTA, 2025, 11, 19, 13, 30)) == 60


def test_a_target_crosses_the_night_to_the_next_morning():
    start = at(BOGOTA, 2025, 11, 19, 16, 0)
    assert add_business_minutes(bogota(), start, 120) == at(BOGOTA, 2025, 11, 20, 9, 0)


def test_a_ticket_opened_at_night_starts_counting_at_opening_time():
    start = at(BOGOTA, 2025, 11, 19, 22, 45)
    assert add_business_minutes(bogota(), start, 30) == at(BOGOTA, 2025, 11, 20, 8, 30)
    assert business_minutes_between(bogota(), start, at(BOGOTA, 2025, 11, 20, 8, 0)) == 0


def test_the_weekend_is_skipped():
    friday = at(BOGOTA, 2025, 11, 21, 16, 0)
    assert add_business_minutes(bogota(), friday, 120) == at(BOGOTA, 2025, 11, 24, 9, 0)
    assert business_minutes_between(bogota(), friday, at(BOGOTA, 2025, 11, 24, 9, 0)) == 120


def test_a_colombian_holiday_is_closed():
    # Monday 17 November 2025: Independencia de Cartagena (moved to Monday).
    friday = at(BOGOTA, 2025, 11, 14, 16, 0)
    assert add_business_minutes(bogota(), friday, 120) == at(BOGOTA, 2025, 11, 18, 9, 0)


def test_the_battle_of_boyaca_closes_colombia_but_not_mexico():
    wednesday_bogota = at(BOGOTA, 2025, 8, 6, 16, 0)
    assert add_business_minutes(bogota(), wednesday_bogota, 120) == at(BOGOTA, 2025, 8, 8, 9, 0)
    wednesday_mexico = at(MEXICO, 2025, 8, 6, 17, 0)
    assert add_business_minutes(mexico(), wednesday_mexico, 120) == at(MEXICO, 2025, 8, 7, 10, 0)


def test_mexican_independence_day_closes_mexico_but_not_colombia():
    monday_mexico = at(MEXICO, 2025, 9, 15, 17, 0)
    assert add_business_minutes(mexico(), monday_mexico, 120) == at(MEXICO, 2025, 9, 17, 10, 0)
    monday_bogota = at(BOGOTA, 2025, 9, 15, 16, 0)
    assert add_business_minutes(bogota(), monday_bogota, 120) == at(BOGOTA, 2025, 9, 16, 9, 0)


def test_revolution_day_closes_mexico():
    # Monday 17 November 2025 is also Día de la Revolución (third Monday of November).
    friday = at(MEXICO, 2025, 11, 14, 17, 0)
    assert add_business_minutes(mexico(), friday, 120) == at(MEXICO, 2025, 11, 18, 10, 0)


def test_a_custom_closed_date_is_closed():
    calendar = bogota(closed_dates=[dt.date(2025, 11, 20)])
    start = at(BOGOTA, 2025, 11, 19, 16, 0)
    assert add_business_minutes(calendar, start, 120) == at(BOGOTA, 2025, 11, 21, 9, 0)


def test_a_target_of_several_days_spans_holidays_and_a_weekend():
    # 24 business hours from Thursday 10:00 in Bogotá: Thu 6 h, Fri 8 h, (weekend, holiday
    # Monday 17), Tue 8 h, Wed 2 h.
    thursday = at(BOGOTA, 2025, 11, 13, 10, 0)
    due = add_business_minutes(bogota(), thursday, 24 * 60)
    assert due == at(BOGOTA, 2025, 11, 19, 10, 0)
    assert business_minutes_between(bogota(), thursday, due) == 24 * 60


def test_a_target_that_ends_at_closing_time_ends_there():
    start = at(BOGOTA, 2025, 11, 19, 16, 0)
    assert add_business_minutes(bogota(), start, 60) == at(BOGOTA, 2025, 11, 19, 17, 0)


def test_time_between_is_negative_backwards():
    early, late = at(BOGOTA, 2025, 11, 19, 9, 0), at(BOGOTA, 2025, 11, 19, 10, 15)
    assert business_minutes_between(bogota(), late, early) == -75


def test_the_same_instant_is_read_in_each_calendars_own_zone():
    # 14:30 UTC is 09:30 in Bogotá (open) and 08:30 in Mexico City (not yet open).
    instant = dt.datetime(2025, 11, 19, 14, 30, tzinfo=dt.UTC)
    assert add_business_minutes(bogota(), instant, 30) == at(BOGOTA, 2025, 11, 19, 10, 0)
    assert add_business_minutes(mexico(), instant, 30) == at(MEXICO, 2025, 11, 19, 9, 30)


def test_mexico_city_hours_follow_the_offset_of_the_day_when_it_still_had_summer_time():
    # Mexico City kept daylight saving time until 2022: on 5 April 2021 it was UTC-5,
    # on 29 March 2021 UTC-6. Opening at 09:00 local is a different UTC hour each day.
    calendar = mexico()
    march = dt.datetime(2021, 3, 29, 14, 0, tzinfo=dt.UTC)  # 08:00 local
    april = dt.datetime(2021, 4, 5, 14, 0, tzinfo=dt.UTC)  # 09:00 local
    assert add_business_minutes(calendar, march, 60) == dt.datetime(2021, 3, 29, 16, 0, tzinfo=dt.UTC)
    assert add_business_minutes(calendar, april, 60) == dt.datetime(2021, 4, 5, 15, 0, tzinfo=dt.UTC)
    # Across the change (Sunday 4 April 2021), a working week is still 45 hours.
    week = business_minutes_between(
        calendar, dt.datetime(2021, 3, 29, tzinfo=MEXICO), dt.datetime(2021, 4, 5, tzinfo=MEXICO)
    )
    assert week == 5 * 9 * 60


def test_several_ranges_a_day_and_a_range_to_midnight():
    calendar = BusinessCalendar.build(
        "America/Bogota", {5: [(dt.time(9), dt.time(12)), (dt.time(20), dt.time(0))]}
    )
    saturday = at(BOGOTA, 2025, 11, 22, 11, 0)
    assert add_business_minutes(calendar, saturday, 60 + 240) == at(BOGOTA, 2025, 11, 23, 0, 0)
    assert business_minutes_between(calendar, saturday, at(BOGOTA, 2025, 11, 23, 6, 0)) == 300


def test_an_always_open_calendar_counts_wall_time():
    calendar = always_open("America/Bogota")
    start = at(BOGOTA, 2025, 11, 21, 22, 0)
    assert add_business_minutes(calendar, start, 3 * 24 * 60) == at(BOGOTA, 2025, 11, 24, 22, 0)


def test_a_calendar_without_hours_is_refused():
    with pytest.raises(ValueError, match="no working hours"):
        add_business_minutes(BusinessCalendar.build("UTC", {}), dt.datetime(2025, 1, 1, tzinfo=dt.UTC), 5)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        add_business_minutes(bogota(), dt.datetime(2025, 1, 1, 9), 5)  # noqa: DTZ001


def _day_by_day(calendar: BusinessCalendar, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """Working time counted as the rule says it, clipping every day's ranges."""
    total = dt.timedelta(0)
    day = calendar.local_date(start) - dt.timedelta(days=1)
    while day <= calendar.local_date(end):
        for opens, closes in calendar.intervals(day):
            total += max(dt.timedelta(0), min(closes, end) - max(opens, start))
        day += dt.timedelta(days=1)
    return total


# Zones that change their offset, one of them at midnight (Santiago), and ranges that run
# to midnight or start at it.
ZONES = ("America/Bogota", "America/Mexico_City", "America/Santiago", "Europe/Madrid", "Pacific/Auckland")
RANGES = (
    MORNING_AND_AFTERNOON,
    ((dt.time(0), dt.time(0)),),
    ((dt.time(22), dt.time(0)),),
    ((dt.time(0), dt.time(6)), (dt.time(18), dt.time(0))),
)


@given(
    zone=st.sampled_from(ZONES),
    ranges=st.sampled_from(RANGES),
    weekdays=st.sets(st.integers(0, 6), min_size=1),
    closed=st.sets(st.dates(dt.date(2021, 1, 1), dt.date(2024, 12, 31)), max_size=20),
    # Hypothesis takes naive bounds and makes the values aware in `timezones`.
    start=st.datetimes(dt.datetime(2021, 1, 1), dt.datetime(2024, 12, 31), timezones=st.just(dt.UTC)),  # noqa: DTZ001
    span=st.timedeltas(dt.timedelta(0), dt.timedelta(days=900)),
)
@settings(max_examples=150, deadline=None)
def test_a_long_span_counts_its_whole_days_as_clipping_each_day_would(
    zone, ranges, weekdays, closed, start, span
):
    calendar = BusinessCalendar.build(
        zone, dict.fromkeys(weekdays, ranges), country="CO", closed_dates=closed
    )
    end = start + span

    expected = _day_by_day(calendar, start, end)

    assert business_time_between(calendar, start, end) == expected
    assert business_time_between(calendar, end, start) == -expected
    assert business_time_between(calendar, start, end) == expected  # the kept lengths agree


def test_a_year_overdue_is_counted_without_walking_every_day_on_each_read():
    calendar = bogota()
    now = at(BOGOTA, 2025, 11, 19, 9, 0)
    business_time_between(calendar, now - dt.timedelta(days=365), now)  # the first read fills the lengths

    again = bogota()  # an equal calendar, built again as each request builds its own
    asked = []
    original = BusinessCalendar.intervals

    def counted(self, day):
        asked.append(day)
        return original(self, day)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BusinessCalendar, "intervals", counted)
        took = business_time_between(again, now - dt.timedelta(days=365), now)

    assert took == business_time_between(calendar, now - dt.timedelta(days=365), now)
    assert len(asked) <= 8  # only the days clipped at either end
