"""Every workspace URL, read or write, answers 404 to a contact (even the requester) and to
an agent of another queue, and sends anonymous visitors to sign in; none of them changes
anything."""

import pytest
from django.test import Client
from django.urls import reverse

from atiende.tickets import actions
from atiende.tickets.models import CannedReply, Channel, Priority
from tests.factories import open_ticket


@pytest.fixture
def ticket(world):
    ticket = open_ticket(world.luis, world.soporte, subject="Solo Soporte")
    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="segundo mensaje")
    return ticket


def _every_url(ticket):
    number = ticket.number
    reply = CannedReply.objects.create(title="Saludo", body="Hola {requester_name}")
    message = ticket.messages.first()
    urgent = Priority.objects.get(level=1)
    return [
        ("get", reverse("desk:ticket", args=[number]), {}),
        ("get", reverse("desk:ticket-history", args=[number]), {}),
        ("get", reverse("desk:ticket-canned", args=[number, reply.pk]), {}),
        ("get", reverse("desk:ticket-merge", args=[number]), {"into": 1}),
        ("post", reverse("desk:ticket-compose", args=[number]), {"kind": "public", "text": "hola"}),
        ("post", reverse("desk:ticket-property", args=[number, "priority"]), {"priority-value": urgent.pk}),
        ("post", reverse("desk:ticket-take", args=[number]), {}),
        ("post", reverse("desk:ticket-presence", args=[number]), {"typing": "1"}),
        ("post", reverse("desk:ticket-time", args=[number]), {"minutes": 5, "work_date": "2024-01-02"}),
        ("post", reverse("desk:ticket-link", args=[number]), {"number": 1, "kind": "related"}),
        ("post", reverse("desk:ticket-merge", args=[number]), {"into": 1}),
        ("post", reverse("desk:ticket-split", args=[number]), {"message": message.pk, "subject": "x"}),
    ]


def _unchanged(ticket):
    ticket.refresh_from_db()
    return (
        ticket.messages.count() == 2
        and ticket.assignee is None
        and ticket.priority.is_default
        and not ticket.time_entries.exists()
        and not ticket.links_out.exists()
        and ticket.history.count() == 2  # opened, replied
    )


@pytest.mark.parametrize("who", ["luis", "carla", "otro"])
def test_people_who_may_not_work_a_ticket_get_404_on_every_workspace_url(client, world, ticket, who):
    client.force_login(getattr(world, who).user)

    for method, url, data in _every_url(ticket):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (who, method, url, response.status_code)
    assert _unchanged(ticket)


def test_anonymous_visitors_are_sent_to_sign_in_from_every_workspace_url(client, world, ticket):
    for method, url, data in _every_url(ticket):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("account_login"))
    assert _unchanged(ticket)


def test_every_post_checks_the_csrf_token(world, ticket):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.agente.user)

    for method, url, data in _every_url(ticket):
        if method == "post":
            assert client.post(url, data).status_code == 403, url
    assert _unchanged(ticket)
