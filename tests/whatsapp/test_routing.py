"""Who wrote, and which ticket their message belongs on."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from atiende.tickets import actions
from atiende.tickets.models import Channel, Message, Ticket
from atiende.whatsapp import inbound, samples
from atiende.whatsapp.models import DeliveryStatus, InboundMessage, InboundState, WebhookDelivery
from tests.conftest import World
from tests.factories import open_ticket
from tests.whatsapp.conftest import ANA_PHONE, Meta
from tests.whatsapp.graph_standin import GraphStandIn

pytestmark = pytest.mark.django_db
STRANGER = "+573009998877"


def test_messages_of_the_same_days_continue_the_contacts_whatsapp_ticket(meta: Meta) -> None:
    meta.send(samples.text(ANA_PHONE, "El correo no sincroniza"))
    meta.send(samples.text(ANA_PHONE, "Ya reinicié el equipo"))
    ticket = Ticket.objects.get()
    assert list(ticket.messages.values_list("body_text", "channel")) == [
        ("El correo no sincroniza", "whatsapp"),
        ("Ya reinicié el equipo", "whatsapp"),
    ]
    assert ticket.queue.slug == "soporte"


def test_a_message_after_the_configured_days_opens_a_new_ticket(meta: Meta, settings: object) -> None:
    meta.send(samples.text(ANA_PHONE, "Primero"))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        meta.send(samples.text(ANA_PHONE, "Mucho después"))
    assert Ticket.objects.count() == 2


def test_a_closed_ticket_is_not_continued(meta: Meta, world: World) -> None:
    meta.send(samples.text(ANA_PHONE, "Primero"))
    actions.close_ticket(world.agente.user, Ticket.objects.get())
    meta.send(samples.text(ANA_PHONE, "Otra cosa"))
    assert Ticket.objects.filter(channel=Channel.WHATSAPP).count() == 2


def test_a_ticket_number_in_the_text_addresses_that_ticket(meta: Meta, world: World) -> None:
    by_web = open_ticket(world.ana, world.soporte)
    meta.send(samples.text(ANA_PHONE, f"Sobre el #{by_web.number}: ya funciona"))
    assert by_web.messages.last().body_text == f"Sobre el #{by_web.number}: ya funciona"  # type: ignore[union-attr]
    assert Ticket.objects.count() == 1


def test_another_companys_ticket_number_is_not_written_on(meta: Meta, world: World) -> None:
    theirs = open_ticket(world.carla, world.soporte)
    meta.send(samples.text(ANA_PHONE, f"Mire el #{theirs.number}"))
    assert theirs.messages.count() == 1
    assert Ticket.objects.filter(requester=world.ana, channel=Channel.WHATSAPP).count() == 1


def test_the_sender_is_found_by_the_phone_typed_without_country_code(meta: Meta, world: World) -> None:
    world.luis.phone = "300 444 5566"
    world.luis.save()
    meta.send(samples.text("+573004445566", "Hola, soy Luis"))
    assert Ticket.objects.get().requester == world.luis


def test_two_contacts_with_the_same_phone_prove_nothing(meta: Meta, world: World) -> None:
    for contact in (world.luis, world.sofia):
        contact.phone = "+57 300 444 5566"
        contact.save()
    meta.send(samples.text("+573004445566", "¿Quién soy?"))
    assert not Ticket.objects.exists()
    assert InboundMessage.objects.get().state == InboundState.HELD


def test_an_unknown_number_is_held_until_an_agent_says_who_wrote(meta: Meta, world: World) -> None:
    meta.send(samples.text(STRANGER, "Hola, no tengo usuario"), profile_name="Pedro")
    meta.send(samples.text(STRANGER, "¿Me ayudan?"))
    held = InboundMessage.objects.filter(state=InboundState.HELD)
    assert held.count() == 2
    assert held.first().profile_name == "Pedro"  # type: ignore[union-attr]
    assert not Ticket.objects.exists()

    numbers = inbound.release_held(STRANGER, world.luis)

    ticket = Ticket.objects.get()
    assert numbers == [ticket.number]
    assert ticket.requester == world.luis
    assert list(ticket.messages.values_list("body_text", flat=True)) == [
        "Hola, no tengo usuario",
        "¿Me ayudan?",
    ]
    world.luis.refresh_from_db()
    assert world.luis.whatsapp == STRANGER
    meta.send(samples.text(STRANGER, "Gracias"))
    assert ticket.messages.count() == 3
    assert inbound.release_held(STRANGER, world.luis) == []  # nothing filed twice


def test_a_failure_is_quarantined_and_the_retry_files_only_what_is_missing(
    meta: Meta, graph: GraphStandIn
) -> None:
    digest = graph.add_media("m1", b"%PDF-1.4 factura", "application/pdf")
    graph.fail_next(500)
    document = samples.message(
        ANA_PHONE,
        "document",
        {"id": "m1", "sha256": digest, "mime_type": "application/pdf", "filename": "f.pdf"},
    )
    meta.send(samples.text(ANA_PHONE, "Le envío la factura"), document)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.QUARANTINED
    assert "HTTP 500" in delivery.error
    assert Message.objects.count() == 1  # the text was filed; the document waits

    assert inbound.retry(delivery).status == DeliveryStatus.PROCESSED
    assert Message.objects.count() == 2
    assert inbound.retry(delivery).status == DeliveryStatus.PROCESSED  # not quarantined: nothing to do
    assert Message.objects.count() == 2
    assert Message.objects.last().attachments.get().filename == "f.pdf"  # type: ignore[union-attr]


def test_a_routing_rule_decides_the_queue_of_a_whatsapp_ticket(meta: Meta, world: World) -> None:
    from atiende.tickets.actions.routing import add_routing_rule

    add_routing_rule(world.admin.user, queue=world.redes, organization=world.acme)
    meta.send(samples.text(ANA_PHONE, "No hay internet"))
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.queue) == (Channel.WHATSAPP, world.redes)
