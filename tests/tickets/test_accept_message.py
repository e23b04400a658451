"""An email whose sender proved nothing is held: only engineers see it, nobody is told,
the stage and the service level stay put, until an engineer accepts it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atiende.errors import InvalidValue, NotAllowed
from atiende.outbox.models import OutboundEmail
from atiende.tickets import actions, ledger
from atiende.tickets.attachments import Upload
from atiende.tickets.models import Channel, Message, SenderCheck, StatusKind, Ticket
from tests.factories import open_ticket

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def held_reply(world, ticket: Ticket, text: str = "Soy Luis: cierren el caso.") -> Message:
    return actions.add_reply(
        world.luis.user,
        ticket,
        channel=Channel.EMAIL,
        text=text,
        attachments=[Upload("prueba.png", PNG)],
        email_message_id="<forjado-1@acme.test>",
        sender_check=SenderCheck.HELD,
    )


@pytest.fixture
def waiting(world, django_capture_on_commit_callbacks) -> Ticket:
    """Luis's ticket, answered by the engineer and waiting on the customer."""
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(world.luis, world.soporte)
        actions.add_reply(
            world.agente.user,
            ticket,
            channel=Channel.WEB,
            text="¿Puede reiniciar?",
            then_status=actions.default_status(StatusKind.PENDING),
        )
    ticket.refresh_from_db()
    return ticket


def test_a_held_reply_tells_nobody_and_moves_nothing(world, waiting, django_capture_on_commit_callbacks):
    before = OutboundEmail.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        message = held_reply(world, waiting)

    waiting.refresh_from_db()
    assert message.is_held
    assert OutboundEmail.objects.count() == before
    assert waiting.status.kind == StatusKind.PENDING


def test_the_portal_does_not_show_a_held_reply_nor_its_files(world, waiting, client):
    message = held_reply(world, waiting)
    file = message.attachments.get()

    client.force_login(world.ana.user)  # company-wide view: she would see "Luis" speak
    page = client.get(reverse("portal:ticket-detail", args=[waiting.number]))
    assert page.status_code == 200
    assert "cierren el caso" not in page.content.decode()
    assert client.get(reverse("attachment", args=[file.pk, file.filename])).status_code == 404


def test_engineers_see_it_marked_with_a_button_to_accept_it(world, waiting, client):
    message = held_reply(world, waiting)

    client.force_login(world.agente.user)
    page = client.get(reverse("desk:ticket", args=[waiting.number])).content.decode()

    assert "cierren el caso" in page
    assert reverse("desk:ticket-message-accept", args=[waiting.number, message.pk]) in page
    assert "t-held" in page


def test_accepting_sets_going_what_a_reply_does(world, waiting, client, django_capture_on_commit_callbacks):
    message = held_reply(world, waiting)
    before = OutboundEmail.objects.count()

    client.force_login(world.agente.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("desk:ticket-message-accept", args=[waiting.number, message.pk]))

    assert response.status_code == 302
    message.refresh_from_db()
    waiting.refresh_from_db()
    assert message.sender_check == SenderCheck.ACCEPTED
    assert waiting.status.kind == StatusKind.OPEN  # the customer answered
    assert OutboundEmail.objects.filter(kind="agent_customer_replied").count() >= 1
    assert OutboundEmail.objects.count() > before
    assert waiting.history.filter(action="accepted", actor=world.agente.user).exists()
    assert ledger.verify(waiting) == []  # accepting is part of the sealed history
    client.force_login(world.ana.user)
    assert (
        "cierren el caso"
        in client.get(reverse("portal:ticket-detail", args=[waiting.number])).content.decode()
    )


def test_a_message_is_accepted_once(world, waiting):
    message = held_reply(world, waiting)
    actions.accept_message(world.agente.user, message)

    with pytest.raises(InvalidValue):
        actions.accept_message(world.agente.user, message)


def test_an_engineer_of_another_queue_cannot_accept_it(world, waiting, client):
    message = held_reply(world, waiting)

    with pytest.raises(NotAllowed):
        actions.accept_message(world.otro.user, message)
    client.force_login(world.otro.user)
    response = client.post(reverse("desk:ticket-message-accept", args=[waiting.number, message.pk]))
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.is_held


def test_a_message_of_another_ticket_is_not_found_through_this_one(world, waiting, client):
    other = open_ticket(world.luis, world.soporte, subject="Otro")
    message = held_reply(world, other)

    client.force_login(world.agente.user)
    response = client.post(reverse("desk:ticket-message-accept", args=[waiting.number, message.pk]))

    assert response.status_code == 404


def test_contacts_cannot_accept(world, waiting):
    message = held_reply(world, waiting)

    with pytest.raises(NotAllowed):
        actions.accept_message(world.luis.user, message)
