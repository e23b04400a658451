"""Every figure of the dashboard against numbers worked out by hand, with business hours
(Monday–Friday 8–12 and 13–17 in Bogotá), a pause waiting on the customer and a Colombian
holiday (Monday 17 November 2025, Independence of Cartagena)."""

import datetime as dt

import pytest
from django.http import QueryDict

from atiende.reports import filters
from atiende.reports.figures import dashboard, median, p90
from atiende.rollups.compute import roll_up_days
from atiende.tickets import actions
from atiende.tickets.models import Channel, LinkKind, StatusKind
from tests.factories import open_ticket
from tests.sla.conftest import bogota

FRIDAY, WEDNESDAY, THURSDAY = dt.date(2025, 11, 14), dt.date(2025, 11, 19), dt.date(2025, 11, 20)


def _status(kind):
    return actions.default_status(kind)


@pytest.fixture
def story(world, policy, clock):
    """Four tickets:
    A — Friday 16:00, answered Tuesday 09:00 over the weekend and the holiday:
        first response 60 (Fri 16–17) + 60 (Tue 8–9) = 120 min, late (target 60).
    B — Wednesday 09:00, answered 09:30 (30 min, on time) asking for a photo (paused),
        the customer answers Thursday 08:30, resolved Thursday 10:00: resolution
        30 (Wed 9–9:30) + 90 (Thu 8:30–10) = 120 min, on time (target 480).
    C — Wednesday 11:00 by phone in Redes, never answered: open at every day's end.
    D — Thursday 09:00, continues the closed ticket A, answered at 09:45 (45 min)."""
    clock.move_to(bogota(2025, 11, 14, 16, 0))
    a = open_ticket(world.luis, world.soporte, subject="A")
    clock.move_to(bogota(2025, 11, 18, 9, 0))
    actions.add_reply(world.agente.user, a, channel=Channel.WEB, text="Hola")
    clock.move_to(bogota(2025, 11, 18, 10, 0))
    actions.close_ticket(world.agente.user, a)

    clock.move_to(bogota(2025, 11, 19, 9, 0))
    b = open_ticket(world.luis, world.soporte, subject="B")
    clock.move_to(bogota(2025, 11, 19, 9, 30))
    actions.add_reply(
        world.agente.user, b, channel=Channel.WEB, text="¿Foto?", then_status=_status(StatusKind.PENDING)
    )
    clock.move_to(bogota(2025, 11, 19, 11, 0))
    c = open_ticket(world.ana, world.redes, subject="C", actor=world.otro.user, channel=Channel.PHONE)
    clock.move_to(bogota(2025, 11, 20, 8, 30))
    actions.add_reply(world.luis.user, b, channel=Channel.WEB, text="Foto")
    clock.move_to(bogota(2025, 11, 20, 9, 0))
    d = open_ticket(world.luis, world.soporte, subject="D", continues=a)
    clock.move_to(bogota(2025, 11, 20, 9, 45))
    actions.add_reply(world.agente.user, d, channel=Channel.WEB, text="Visto")
    clock.move_to(bogota(2025, 11, 20, 10, 0))
    actions.change_status(world.agente.user, b, _status(StatusKind.RESOLVED))
    roll_up_days(FRIDAY, THURSDAY)
    return a, b, c, d


def board_for(params: str, **kwargs):
    chosen = filters.parse(QueryDict(params), today=THURSDAY)
    return dashboard(chosen, **kwargs)


def test_the_story_links_d_to_a_closed_ticket(story):
    a, _b, _c, d = story
    assert d.links_out.get().target == a and d.links_out.get().kind == LinkKind.CONTINUES


def test_counts_per_day_and_the_backlog_at_each_days_end(story):
    board = board_for("from=2025-11-14&to=2025-11-20")
    by_day = {day.day: (day.opened, day.resolved, day.backlog) for day in board.days}
    assert by_day[FRIDAY] == (1, 0, 1)  # A
    assert by_day[dt.date(2025, 11, 17)] == (0, 0, 1)  # the holiday: A still open
    assert by_day[dt.date(2025, 11, 18)] == (0, 1, 0)  # A closed (so resolved) at 10:00
    assert by_day[WEDNESDAY] == (2, 0, 2)  # B and C
    assert by_day[THURSDAY] == (1, 1, 2)  # D opened, B resolved: C and D open
    assert board.backlog_now == 2 and board.backlog_change == 1
    assert [(week.day, week.opened, week.resolved, week.backlog) for week in board.weeks] == [
        (dt.date(2025, 11, 10), 1, 0, 1),
        (dt.date(2025, 11, 17), 3, 2, 2),
    ]


def test_first_response_and_resolution_in_business_minutes(story):
    total = board_for("from=2025-11-14&to=2025-11-20").total
    # A 120 (late), B 30, D 45; C has none yet.
    assert sorted(total.first_response_minutes) == [30, 45, 120]
    assert total.first_response_median == 45 and total.first_response_p90 == 120
    assert total.first_response_count == 3 and total.first_response_on_time == 2
    assert total.first_response_compliance == pytest.approx(200 / 3)
    # B: Wed 9:00–9:30 running, paused until Thu 8:30, then 8:30–10:00 → 30 + 90.
    # A was closed: closing meets its resolution (Fri 16–17, Tue 8–10 → 180) on Tuesday.
    assert sorted(total.resolution_minutes) == [120, 180]
    assert total.resolution_count == 2 and total.resolution_on_time == 2
    assert total.resolution_median == 150


def test_the_reopen_rate_counts_tickets_that_continue_a_closed_one(story):
    total = board_for("from=2025-11-14&to=2025-11-20").total
    assert (total.opened, total.reopened, total.reopen_rate) == (4, 1, 25)


def test_filters_and_breakdowns_split_the_same_figures(story, world):
    phone = board_for("from=2025-11-14&to=2025-11-20&channel=phone").total
    assert (phone.opened, phone.first_response_count) == (1, 0)
    board = board_for(f"from=2025-11-14&to=2025-11-20&by=queue&queue={world.soporte.id}")
    assert board.total.opened == 3
    assert [(group.key, group.figures.opened) for group in board.groups] == [(world.soporte.id, 3)]
    by_channel = board_for("from=2025-11-14&to=2025-11-20&by=channel")
    assert {group.key: group.figures.opened for group in by_channel.groups} == {"web": 3, "phone": 1}


def test_a_day_outside_the_period_counts_for_nothing(story):
    board = board_for("from=2025-11-19&to=2025-11-19")
    assert (board.total.opened, board.total.resolved) == (2, 0)
    assert board.total.first_response_minutes == [30]


def test_percentiles_are_values_that_occurred():
    assert median([]) is None and p90([]) is None
    assert p90(list(range(1, 11))) == 9 and p90([5]) == 5 and median([1, 2, 3, 10]) == 2.5
