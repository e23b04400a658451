"""SLA fixtures: a Bogotá calendar (Monday to Friday, 8–12 and 13–17, Colombian holidays)
on the Soporte queue, a policy of 1 business hour to first response and 8 to resolution
with a warning at 80 %, the supervisor working Soporte, and a clock frozen on Wednesday
19 November 2025 at 09:00 in Bogotá."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

from atiende.sla.models import Calendar, SlaPolicy, WorkingHours

BOGOTA = ZoneInfo("America/Bogota")
MEXICO = ZoneInfo("America/Mexico_City")


def bogota(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=BOGOTA)


def make_calendar(name: str, zone: str, country: str, ranges, days=range(5), **values) -> Calendar:
    calendar = Calendar.objects.create(name=name, time_zone=zone, country=country, **values)
    for day in days:
        for starts, ends in ranges:
            WorkingHours.objects.create(calendar=calendar, weekday=day, starts=starts, ends=ends)
    calendar.refresh_from_db()
    return calendar


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(bogota(2025, 11, 19, 9, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def colombia(world) -> Calendar:
    calendar = make_calendar(
        "Colombia",
        "America/Bogota",
        "CO",
        [(dt.time(8), dt.time(12)), (dt.time(13), dt.time(17))],
    )
    calendar.queues.add(world.soporte)
    return calendar


@pytest.fixture
def policy(world, colombia) -> SlaPolicy:
    world.soporte.agents.add(world.supervisor)
    return SlaPolicy.objects.create(
        name="Estándar", first_response_minutes=60, resolution_minutes=8 * 60, warning_percent=80
    )
