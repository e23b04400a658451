"""Property: whatever the tickets, the rollups add up to what a direct count over the
tickets gives, day by day and per property (random stories, several seeds)."""

import datetime as dt
import importlib
import io
import random
from collections import Counter
from contextlib import nullcontext
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db.models import Sum
from django.http import QueryDict
from django.utils import timezone

from atiende.reports import figures, filters
from atiende.reports.figures import dashboard
from atiende.rollups.models import COUNTED, DailyRollup, DailyTotal
from atiende.tickets import actions
from atiende.tickets.models import Channel, StatusKind, Ticket
from tests.factories import open_ticket

ZONE = ZoneInfo("America/Bogota")
FIRST, LAST = dt.date(2025, 3, 1), dt.date(2025, 3, 10)


def _moment(rng: random.Random, after: dt.datetime | None = None) -> dt.datetime:
    start = after or dt.datetime.combine(FIRST, dt.time(), ZONE)
    end = dt.datetime.combine(LAST + dt.timedelta(days=2), dt.time(), ZONE)
    return start + (end - start) * rng.random()


def _local(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(ZONE).date() if moment else None


def _random_story(world, seed: int) -> None:
    rng = random.Random(seed)
    queues = [world.soporte, world.redes]
    for _ in range(25):
        opened = _moment(rng)
        with time_machine.travel(opened, tick=False) as clock:
            channel = rng.choice([Channel.WEB, Channel.EMAIL, Channel.PHONE])
            ticket = open_ticket(rng.choice([world.luis, world.ana]), rng.choice(queues), channel=channel)
            if rng.random() < 0.7:
                clock.move_to(opened + dt.timedelta(minutes=rng.randint(5, 3000)))
                actions.add_reply(world.admin.user, ticket, channel=Channel.WEB, text="Hola")
            if rng.random() < 0.6:
                clock.move_to(_moment(rng, timezone.now()))
                kind = rng.choice([StatusKind.RESOLVED, StatusKind.CLOSED])
                if kind == StatusKind.CLOSED:
                    actions.close_ticket(world.admin.user, ticket)
                else:
                    actions.change_status(world.admin.user, ticket, actions.default_status(kind))
    call_command("rollup", since=FIRST.isoformat(), until=LAST.isoformat(), stdout=io.StringIO())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rollups_equal_a_direct_count(world, seed):
    _random_story(world, seed)

    tickets = list(Ticket.objects.all())
    board = dashboard(filters.parse(QueryDict(f"from={FIRST}&to={LAST}&by=channel"), today=LAST))
    for day in board.days:
        end = dt.datetime.combine(day.day + dt.timedelta(days=1), dt.time(), ZONE)
        assert day.opened == sum(_local(t.created_at) == day.day for t in tickets)
        assert day.resolved == sum(_local(t.resolved_at) == day.day for t in tickets)
        still_open = [
            t
            for t in tickets
            if t.created_at < end
            and (t.resolved_at is None or t.resolved_at >= end)
            and (t.closed_at is None or t.closed_at >= end)
        ]
        assert day.backlog == len(still_open)
    in_period = [t for t in tickets if FIRST <= t.created_at.astimezone(ZONE).date() <= LAST]
    assert {g.key: g.figures.opened for g in board.groups if g.figures.opened} == dict(
        Counter(t.channel for t in in_period)
    )


def test_recounting_a_day_replaces_its_rows(world):
    with time_machine.travel(dt.datetime(2025, 3, 2, 10, tzinfo=ZONE), tick=False):
        open_ticket(world.luis, world.soporte)
    call_command("rollup", day="2025-03-02", stdout=io.StringIO())
    call_command("rollup", day="2025-03-02", stdout=io.StringIO())
    assert DailyRollup.objects.filter(day="2025-03-02").count() == 1
    assert DailyRollup.objects.get(day="2025-03-02").opened == 1
    assert DailyTotal.objects.get(day="2025-03-02", dimension="").opened == 1
    assert DailyTotal.objects.filter(day="2025-03-02").count() == 8  # the day, and one per property


def test_the_command_refuses_a_malformed_day():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("rollup", day="2025-02-30")
    with pytest.raises(CommandError):
        call_command("rollup", since="2025-03-05", until="2025-03-01")


def test_the_periodic_job_counts_today_and_yesterday(world):
    from atiende.rollups.tasks import roll_up

    with time_machine.travel(dt.datetime(2025, 3, 2, 10, tzinfo=ZONE), tick=False):
        open_ticket(world.luis, world.soporte)
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, tzinfo=ZONE), tick=False):
        assert roll_up()["rows"] == 2  # the ticket opened yesterday, and still open today
    assert set(DailyRollup.objects.values_list("day", "opened")) == {
        (dt.date(2025, 3, 2), 1),
        (dt.date(2025, 3, 3), 0),
    }


def _board(query: str, *, combinations: bool) -> tuple[object, ...]:
    """The dashboard's figures, read from the totals where they serve or, forced, from the
    combination rows alone."""
    with mock.patch.object(figures, "_totals", return_value=None) if combinations else nullcontext():
        board = dashboard(filters.parse(QueryDict(f"from={FIRST}&to={LAST}&{query}"), today=LAST))
    groups = {
        g.key: (
            [getattr(g.figures, name) for name in figures.COUNTS],
            sorted(g.figures.first_response_minutes),
            sorted(g.figures.resolution_minutes),
        )
        for g in board.groups
    }
    return board.days, groups, board.total.first_response_median, board.total.resolution_p90


@pytest.mark.parametrize("seed", [4, 5])
@pytest.mark.usefixtures("policy")
def test_the_daily_totals_add_up_to_the_combination_rows(world, seed):
    _random_story(world, seed)
    assert DailyRollup.objects.filter(first_response_count__gt=1).exists()  # lists to join
    channel = Ticket.objects.values_list("channel", flat=True).first()
    queries = [f"by={group}" for group in filters.FILTERS]
    queries += [f"by=queue&queue={world.soporte.pk}", f"by=channel&channel={channel}"]
    queries += [
        f"by=engineer&company={world.acme.pk}",
        f"by=queue&queue={world.soporte.pk}&channel={channel}",
    ]
    for query in queries:
        assert _board(query, combinations=False) == _board(query, combinations=True), query
    whole = DailyTotal.objects.filter(dimension="").aggregate(o=Sum("opened"), b=Sum("backlog"))
    rows = DailyRollup.objects.aggregate(o=Sum("opened"), b=Sum("backlog"))
    assert whole == rows
    # One total per day and queue in use that day, however many combinations it had.
    queues_per_day = set(DailyRollup.objects.values_list("day", "queue_id").distinct())
    totals = DailyTotal.objects.filter(dimension="queue_id").values_list("day", "value")
    assert sorted(totals) == sorted((day, str(queue)) for day, queue in queues_per_day)


@pytest.mark.usefixtures("policy")
def test_the_migration_adds_up_the_days_already_counted(world):
    _random_story(world, 6)
    counted = _totals_by_key()
    DailyTotal.objects.all().delete()
    backfill = importlib.import_module("atiende.rollups.migrations.0002_daily_totals")
    backfill.add_up_the_kept_days(django_apps, None)
    assert _totals_by_key() == counted


def _totals_by_key() -> dict[object, object]:
    return {
        (row.day, row.dimension, row.value): (
            [getattr(row, name) for name in COUNTED],
            row.first_response_minutes,
            row.resolution_minutes,
        )
        for row in DailyTotal.objects.all()
    }
