"""Engineers see the rating on the ticket (card and conversation) and never a form to
rate; the daily figures count it on the day it was first given."""

import datetime

from django.urls import reverse
from django.utils import timezone

from atiende.rollups.compute import count_day, roll_up_day
from atiende.rollups.models import DailyRollup
from atiende.satisfaction.actions import rate_ticket
from atiende.satisfaction.models import Rating
from tests.factories import open_ticket
from tests.satisfaction.conftest import resolve


def test_the_desk_shows_the_rating_and_its_comment_and_no_form(client, world, resolved):
    rate_ticket(world.luis.user, resolved, score="bad", comment="Nadie vino", resolution=resolved.resolved_at)
    client.force_login(world.agente.user)

    html = client.get(reverse("desk:ticket", args=[resolved.number])).content.decode()

    assert "rating-card rating-low" in html
    assert "t-rating-low" in html
    assert html.count("Nadie vino") >= 2
    assert "/portal/rate/" not in html
    assert 'name="score"' not in html

    history = client.get(reverse("desk:ticket-history", args=[resolved.number])).content.decode()
    assert "Nadie vino" in history


def test_ratings_count_on_the_day_first_given_with_their_current_face(world, resolved):
    other = resolve(world.agente.user, open_ticket(world.luis, world.soporte))
    rate_ticket(world.luis.user, resolved, score="bad", resolution=resolved.resolved_at)
    rate_ticket(world.luis.user, resolved, score="good", resolution=resolved.resolved_at)
    rate_ticket(world.luis.user, other, score="neutral", resolution=other.resolved_at)

    rows = count_day(timezone.localdate())

    assert sum(row.rating_good for row in rows) == 1
    assert sum(row.rating_neutral for row in rows) == 1
    assert sum(row.rating_bad for row in rows) == 0


def test_changing_an_older_days_rating_recounts_that_day(world, resolved, django_capture_on_commit_callbacks):
    rating = rate_ticket(world.luis.user, resolved, score="good", resolution=resolved.resolved_at)
    old_day = timezone.localdate() - datetime.timedelta(days=3)
    moment = timezone.make_aware(datetime.datetime.combine(old_day, datetime.time(10)))
    Rating.objects.filter(pk=rating.pk).update(created_at=moment)
    roll_up_day(old_day)
    assert sum(row.rating_good for row in DailyRollup.objects.filter(day=old_day)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        rate_ticket(world.luis.user, resolved, score="bad", resolution=resolved.resolved_at)

    rows = DailyRollup.objects.filter(day=old_day)
    assert (sum(r.rating_good for r in rows), sum(r.rating_bad for r in rows)) == (0, 1)
