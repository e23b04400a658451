"""Review fixtures: the reports' hand-computed November 2025 story (Acme), rated and
counted to the month's end."""

import datetime as dt

import pytest

from atiende.rollups.compute import roll_up_days
from atiende.satisfaction.actions import rate_ticket
from atiende.satisfaction.models import Score
from atiende.tickets.models import Ticket
from tests.reports.test_dashboard_figures import story  # noqa: F401 - the hand-computed story
from tests.sla.conftest import bogota, clock, colombia, policy  # noqa: F401 - fixtures shared with sla tests

NOVEMBER = dt.date(2025, 11, 1)


@pytest.fixture
def november(story, world, clock):  # noqa: F811 - the story fixture imported above
    """The story, B rated 😞 with a comment, every day of November (and October) counted,
    and the clock on Tuesday 2 December 2025 (the review of November is available)."""
    _a, b, _c, _d = story
    clock.move_to(bogota(2025, 11, 20, 10, 30))
    resolved = Ticket.objects.values_list("resolved_at", flat=True).get(pk=b.pk)
    assert resolved is not None
    rate_ticket(world.luis.user, b, score=Score.BAD, comment="Tardaron = demasiado", resolution=resolved)
    clock.move_to(bogota(2025, 12, 2, 9, 0))
    roll_up_days(dt.date(2025, 10, 1), dt.date(2025, 11, 30))
    return story
