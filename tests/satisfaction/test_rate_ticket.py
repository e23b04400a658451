"""rate_ticket: one rating per resolution, changeable within its window, never once the
ticket is closed or reopened; sealed in the ticket's history; an unsatisfied rating tells
the queue's supervisors."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from atiende.errors import InvalidValue, NotAllowed
from atiende.outbox.models import OutboundEmail
from atiende.satisfaction.actions import RatingClosed, rate_ticket
from atiende.satisfaction.models import Rating
from atiende.tickets import actions, ledger
from atiende.tickets.models import HistoryEvent, Status, StatusKind
from tests.satisfaction.conftest import resolve


def _rate(world, ticket, score="good", comment=""):
    return rate_ticket(world.luis.user, ticket, score=score, comment=comment, resolution=ticket.resolved_at)


def test_the_requester_rates_a_resolved_ticket(world, resolved):
    rating = _rate(world, resolved, "neutral", "  Tardó un poco  ")

    assert (rating.score, rating.comment, rating.rated_by) == ("neutral", "Tardó un poco", world.luis.user)
    event = HistoryEvent.objects.get(ticket=resolved, action="rated")
    assert event.field == "rating"
    assert event.new_value == "Ni satisfecho ni insatisfecho"
    assert event.seal["rating"]["comment"] == "Tardó un poco"
    assert ledger.verify(resolved) == []


def test_a_change_within_the_window_updates_the_one_rating_and_is_sealed_again(world, resolved):
    _rate(world, resolved, "bad")
    _rate(world, resolved, "good", "Ya quedó")

    assert Rating.objects.filter(ticket=resolved).count() == 1
    assert Rating.objects.get(ticket=resolved).score == "good"
    events = list(HistoryEvent.objects.filter(ticket=resolved, action="rated").order_by("sequence"))
    assert [(e.old_value, e.new_value) for e in events] == [
        ("", "Insatisfecho"),
        ("Insatisfecho", "Satisfecho"),
    ]
    assert ledger.verify(resolved) == []


def test_the_same_rating_sent_twice_is_recorded_once(world, resolved):
    _rate(world, resolved, "good", "Gracias")
    _rate(world, resolved, "good", "Gracias")

    assert HistoryEvent.objects.filter(ticket=resolved, action="rated").count() == 1


def test_an_edited_rating_event_breaks_the_chain(world, resolved):
    _rate(world, resolved, "bad", "Nadie me llamó")
    event = HistoryEvent.objects.get(ticket=resolved, action="rated")
    HistoryEvent.objects.filter(pk=event.pk).update(seal={"rating": {"score": "good", "comment": ""}})

    assert ledger.verify(resolved) != []


def test_a_rating_edited_or_deleted_in_the_database_is_named_by_the_check(world, resolved):
    _rate(world, resolved, "bad", "Nadie me llamó")
    Rating.objects.filter(ticket=resolved).update(score="good")
    assert [str(b) for b in ledger.verify(resolved)] == [
        f"#{resolved.number} event {HistoryEvent.objects.get(action='rated').sequence}: "
        "the rating's score changed since it was sealed"
    ]
    Rating.objects.filter(ticket=resolved).delete()
    assert "the rating it sealed is missing" in str(ledger.verify(resolved)[0])


def test_it_refuses_after_the_window(world, resolved, settings):
    settings.ATIENDE_CSAT_CHANGE_DAYS = 7
    _rate(world, resolved, "good")
    later = resolved.resolved_at + datetime.timedelta(days=7, minutes=1)
    with time_machine.travel(later, tick=False), pytest.raises(RatingClosed, match="ha pasado"):
        _rate(world, resolved, "bad")
    assert Rating.objects.get(ticket=resolved).score == "good"


def test_it_refuses_once_the_ticket_is_closed(world, resolved):
    _rate(world, resolved, "good")
    actions.close_ticket(world.luis.user, resolved)

    with pytest.raises(RatingClosed, match="cerrado"):
        _rate(world, resolved, "bad")


def test_it_refuses_a_reopened_ticket_and_an_earlier_resolution(world, resolved):
    first_resolution = resolved.resolved_at
    actions.change_status(
        world.agente.user, resolved, Status.objects.get(kind=StatusKind.OPEN, is_default=True)
    )
    resolved.refresh_from_db()
    with pytest.raises(RatingClosed, match="reabierto"):
        rate_ticket(world.luis.user, resolved, score="good", resolution=first_resolution)

    resolve(world.agente.user, resolved)
    with pytest.raises(RatingClosed, match="anterior"):
        rate_ticket(world.luis.user, resolved, score="good", resolution=first_resolution)
    assert (
        rate_ticket(world.luis.user, resolved, score="good", resolution=resolved.resolved_at).score == "good"
    )


def test_only_the_requester_rates(world, resolved):
    for someone in (world.ana.user, world.agente.user, world.carla.user, world.admin.user):
        with pytest.raises(NotAllowed):
            rate_ticket(someone, resolved, score="good", resolution=resolved.resolved_at)
    assert not Rating.objects.exists()


def test_it_refuses_an_unknown_face_and_an_oversized_comment(world, resolved):
    with pytest.raises(InvalidValue):
        _rate(world, resolved, "excellent")
    with pytest.raises(InvalidValue):
        _rate(world, resolved, "good", "x" * 2001)
    assert not Rating.objects.exists()


def _low_notices(ticket):
    return list(OutboundEmail.objects.filter(ticket_number=ticket.number, kind="satisfaction_low"))


def test_an_unsatisfied_rating_tells_the_queues_supervisors_once(world, resolved):
    world.soporte.agents.add(world.supervisor)

    _rate(world, resolved, "bad", "No funcionó")
    _rate(world, resolved, "bad", "Sigue sin funcionar")

    notices = _low_notices(resolved)
    assert [notice.to for notice in notices] == [[world.supervisor.user.email]]
    assert "No funcionó" in notices[0].body_text
    assert "insatisfactoria" in notices[0].body_text


def test_a_good_rating_tells_nobody_and_supervisors_of_other_queues_hear_nothing(world, resolved):
    world.redes.agents.add(world.supervisor)

    _rate(world, resolved, "good")
    _rate(world, resolved, "bad")

    assert _low_notices(resolved) == []


def test_the_rating_page_window_opens_at_resolution(world, resolved, settings):
    settings.ATIENDE_CSAT_CHANGE_DAYS = 3
    rating = _rate(world, resolved)
    assert rating.changeable_until() == resolved.resolved_at + datetime.timedelta(days=3)
    assert rating.changeable_until() > timezone.now()
