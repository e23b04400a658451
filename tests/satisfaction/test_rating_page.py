"""The rating link: opened from the resolution email without signing in, it shows the
choice (scanners open links: a GET records nothing); a POST rates. Forged, altered,
expired, replayed after the window, spliced onto another ticket or another company's
ticket, or naming a reopened or closed ticket: refused with a page that says why."""

import datetime

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from atiende.outbox.models import OutboundEmail
from atiende.satisfaction import links
from atiende.satisfaction.models import Rating
from atiende.tickets import actions
from atiende.tickets.models import Channel, Status, StatusKind
from tests.factories import open_ticket
from tests.satisfaction.conftest import face_links, resolution_email, resolve


def _links(ticket, email="luis@acme.test"):
    sent = resolution_email(ticket, email)
    assert sent is not None
    return face_links(sent.body_text), face_links(sent.body_html)


def test_the_resolution_email_carries_three_faces_for_the_requester_only(world, resolved):
    actions.change_ticket(world.agente.user, resolved, cc=["jefe@acme.test"])
    actions.change_status(
        world.agente.user, resolved, Status.objects.get(kind=StatusKind.OPEN, is_default=True)
    )
    resolve(world.agente.user, resolved)

    text, html = _links(resolved)
    assert set(text) == set(html) == {"bad", "neutral", "good"}
    copied = resolution_email(resolved, "jefe@acme.test")
    assert copied is not None
    assert "/portal/rate/" not in copied.body_text + copied.body_html


def test_opening_a_face_from_the_email_shows_it_chosen_and_records_nothing(client, world, resolved):
    text, _html = _links(resolved)

    response = client.get(text["bad"])

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="bad" checked' in html
    assert "¿Qué tan satisfecho está con la solución?" in html
    assert not Rating.objects.exists()


def test_a_post_from_the_link_rates_without_signing_in_then_takes_a_comment(client, world, resolved):
    text, _html = _links(resolved)
    page = text["good"].split("?")[0]

    response = client.post(page, {"score": "good"})
    assert response.status_code == 302
    assert Rating.objects.get(ticket=resolved).score == "good"

    response = client.post(page, {"score": "good", "comment": "Muy amable"})
    assert response.status_code == 302
    assert Rating.objects.get(ticket=resolved).comment == "Muy amable"
    thanks = client.get(response["Location"]).content.decode()
    assert "Gracias por su calificación" in thanks


def test_the_page_speaks_the_requesters_language(client, world, resolved):
    world.luis.user.language = "en"
    world.luis.user.save()

    html = client.get(links.path_for(resolved, "good")).content.decode()

    assert "How satisfied are you with the solution?" in html
    assert 'lang="en"' in html


def test_a_click_on_the_portals_face_keeps_the_comment(client, world, resolved):
    client.force_login(world.luis.user)
    page = client.get(reverse("portal:ticket-detail", args=[resolved.number])).content.decode()
    assert "¿Qué tan satisfecho está con la solución?" in page
    path = links.path_for(resolved)
    client.post(path, {"score": "bad", "comment": "Lento"})

    client.post(path, {"score": "neutral"})

    rating = Rating.objects.get(ticket=resolved)
    assert (rating.score, rating.comment) == ("neutral", "Lento")


def test_others_on_the_ticket_see_no_rating_form(client, world, resolved):
    client.force_login(world.ana.user)  # sees the company's tickets, did not ask
    html = client.get(reverse("portal:ticket-detail", args=[resolved.number])).content.decode()
    assert "/portal/rate/" not in html


def _refused(client, path, method="post", status=404):
    response = getattr(client, method)(path, {"score": "bad"})
    assert response.status_code == status
    assert "No se puede registrar esta calificación" in response.content.decode()
    return response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_or_altered_link_is_refused(client, world, resolved, method):
    token = links.token_for(resolved)
    forged = signing.dumps(
        {"t": resolved.pk, "c": resolved.requester_id, "r": 1}, salt="another", compress=False
    )
    _payload, rest = token.split(":", 1)
    tampered = (
        signing.b64_encode(f'{{"t":{resolved.pk + 1},"c":{resolved.requester_id},"r":1}}'.encode()).decode()
        + ":"
        + rest
    )
    for bad in ("made-up", forged, tampered, token[:-2] + "xx", "x" * 500):
        _refused(client, f"/portal/rate/{bad}/", method)
    assert not Rating.objects.exists()


def test_another_tickets_or_another_companys_link_cannot_rate_this_one(client, world, resolved):
    other = resolve(world.otro.user, open_ticket(world.carla, world.redes))
    their_token = links.token_for(other)
    # Their payload signed under our ticket's link: the signature no longer matches.
    spliced = their_token.split(":", 1)[0] + ":" + links.token_for(resolved).split(":", 1)[1]

    _refused(client, f"/portal/rate/{spliced}/")
    client.post(f"/portal/rate/{their_token}/", {"score": "bad"})

    assert list(Rating.objects.values_list("ticket_id", "rated_by_id")) == [(other.pk, world.carla.user.pk)]


def test_a_link_whose_ticket_changed_requester_is_refused(client, world, resolved):
    token = links.token_for(resolved)
    type(resolved).objects.filter(pk=resolved.pk).update(requester=world.ana)

    _refused(client, f"/portal/rate/{token}/")


def test_an_expired_link_is_refused(client, world, resolved, settings):
    settings.ATIENDE_CSAT_CHANGE_DAYS = 7
    path = f"/portal/rate/{links.token_for(resolved)}/"
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=8)):
        html = _refused(client, path, "get", status=410)
    assert "venció" in html


def test_a_link_reused_after_the_window_is_refused(client, world, resolved, settings):
    settings.ATIENDE_CSAT_CHANGE_DAYS = 7
    path = f"/portal/rate/{links.token_for(resolved)}/"
    client.post(path, {"score": "good"})
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7, hours=1)):
        _refused(client, path, status=410)
    assert Rating.objects.get(ticket=resolved).score == "good"


def test_a_link_for_a_reopened_or_closed_ticket_is_refused(client, world, resolved):
    path = f"/portal/rate/{links.token_for(resolved)}/"
    actions.change_status(
        world.agente.user, resolved, Status.objects.get(kind=StatusKind.OPEN, is_default=True)
    )
    assert "reabierto" in _refused(client, path, "get", status=410)

    resolve(world.agente.user, resolved)
    assert "anterior" in _refused(client, path, status=410)

    fresh = f"/portal/rate/{links.token_for(resolved)}/"
    actions.close_ticket(world.luis.user, resolved)
    assert "cerrado" in _refused(client, fresh, status=410)
    assert not Rating.objects.exists()


def test_an_oversized_comment_is_refused_with_the_reason(client, world, resolved):
    path = f"/portal/rate/{links.token_for(resolved)}/"
    response = client.post(path, {"score": "good", "comment": "x" * 2001})
    assert response.status_code == 400
    assert not Rating.objects.exists()


def test_a_reply_sent_with_resolve_carries_the_faces_for_the_requester(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.change_ticket(world.agente.user, ticket, cc=["jefe@acme.test"])
    resolved_status = Status.objects.get(kind=StatusKind.RESOLVED, is_default=True)

    actions.add_reply(
        world.agente.user, ticket, channel=Channel.WEB, text="Listo.", then_status=resolved_status
    )

    replies = {
        address: sent for sent in OutboundEmail.objects.filter(kind="ticket_reply") for address in sent.to
    }
    faces = face_links(replies["luis@acme.test"].body_html)
    assert set(faces) == {"bad", "neutral", "good"}
    assert "/portal/rate/" not in replies["jefe@acme.test"].body_text
    assert client.get(faces["good"]).status_code == 200


def test_an_ordinary_reply_carries_no_faces(world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Lo revisamos.")
    assert "/portal/rate/" not in OutboundEmail.objects.get(kind="ticket_reply").body_text
