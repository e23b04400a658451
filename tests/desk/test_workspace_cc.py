"""Copied addresses: kept on the ticket, they receive the engineers' public replies."""

import pytest
from django.urls import reverse

from atiende.outbox.models import OutboundEmail
from atiende.tickets import actions
from atiende.tickets.exceptions import InvalidValue, NotAllowed
from atiende.tickets.models import Channel
from tests.factories import open_ticket


def test_an_agent_sets_copied_addresses_in_place_and_history_records_it(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    client.post(
        reverse("desk:ticket-property", args=[ticket.number, "cc"]),
        {"cc-value": "Jefe@Acme.test, compras@acme.test, jefe@acme.test"},
    )

    assert sorted(ticket.cc.values_list("email", flat=True)) == ["compras@acme.test", "jefe@acme.test"]
    assert ticket.history.get(field="cc").new_value == "compras@acme.test, jefe@acme.test"
    html = client.get(reverse("desk:ticket", args=[ticket.number])).content.decode()
    assert "compras@acme.test, jefe@acme.test" in html


def test_public_replies_go_to_the_requester_and_every_copied_address(world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.change_ticket(world.agente.user, ticket, cc=["jefe@acme.test", "luis@acme.test"])

    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Listo.")
    actions.add_note(world.agente.user, ticket, text="solo interno")

    recipients = sorted(email.to[0] for email in OutboundEmail.objects.filter(kind="ticket_reply"))
    assert recipients == ["jefe@acme.test", "luis@acme.test"]


def test_a_wrong_address_is_refused_with_its_name(world):
    ticket = open_ticket(world.luis, world.soporte)

    with pytest.raises(InvalidValue) as refused:
        actions.change_ticket(world.agente.user, ticket, cc=["no-es-correo"])

    assert "no-es-correo" in refused.value.message
    assert not ticket.cc.exists()


def test_contacts_cannot_change_the_copied_addresses(world):
    ticket = open_ticket(world.luis, world.soporte)

    with pytest.raises(NotAllowed):
        actions.change_ticket(world.luis.user, ticket, cc=["x@acme.test"])
