"""Contacts whose news goes by WhatsApp get every stage notice an email contact gets
(received, waiting on you, resolved, reopened, closed), in their language, queued with the
change and sent once: a text inside the 24-hour window, the mapped template outside it,
the email when WhatsApp cannot carry it. "Both" gets both."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from atiende.accounts.models import NotificationChannel
from atiende.outbox.models import OutboundEmail
from atiende.tickets import actions, notify
from atiende.tickets.models import Channel, Status, StatusKind, Ticket
from atiende.whatsapp import samples
from atiende.whatsapp.models import MessageTemplate, OutboundMessage, TemplateUse, WhatsAppNumber
from tests.conftest import World
from tests.whatsapp.conftest import ANA_PHONE, Meta, received_confirmation
from tests.whatsapp.graph_standin import GraphStandIn

pytestmark = pytest.mark.django_db


def ana_prefers(world: World, channel: str, language: str = "es") -> None:
    world.ana.notify_by = channel
    world.ana.save()
    world.ana.user.language = language
    world.ana.user.save()


def stage(kind: StatusKind) -> Status:
    status = Status.objects.filter(kind=kind).first()
    assert status is not None
    return status


def move(world: World, ticket: Ticket, kind: StatusKind, capture: Any) -> None:
    with capture(execute=True):
        if kind == StatusKind.CLOSED:
            actions.close_ticket(world.agente.user, ticket)
        else:
            actions.change_status(world.agente.user, ticket, stage(kind))
    ticket.refresh_from_db()


def texts(graph: GraphStandIn) -> list[str]:
    return [item["text"]["body"] for item in graph.sent if item["type"] == "text"]


def status_emails_to_ana(world: World, kinds: tuple[str, ...] = ("ticket_opened", "ticket_status")) -> int:
    emails = OutboundEmail.objects.filter(kind__in=kinds).values_list("to", flat=True)
    return sum(world.ana.user.email in to for to in emails)


def test_a_whatsapp_only_contact_hears_every_stage_by_whatsapp_and_gets_no_email(
    world: World, meta: Meta, graph: GraphStandIn, django_capture_on_commit_callbacks: Any
) -> None:
    ana_prefers(world, NotificationChannel.WHATSAPP)
    meta.send(samples.text(ANA_PHONE, "El VPN no conecta"))
    ticket = Ticket.objects.get()
    for kind in (StatusKind.PENDING, StatusKind.RESOLVED, StatusKind.OPEN, StatusKind.CLOSED):
        move(world, ticket, kind, django_capture_on_commit_callbacks)

    received, waiting, resolved, reopened, closed = texts(graph)
    number = f"#{ticket.number}"
    assert received.startswith(f"Recibimos su ticket {number}") and "/portal/" in received
    assert f"Su ticket {number} (El VPN no conecta) espera su respuesta" in waiting
    assert f"Su ticket {number} (El VPN no conecta) fue resuelto" in resolved
    assert f"Su ticket {number} (El VPN no conecta) fue reabierto" in reopened
    assert f"Su ticket {number} (El VPN no conecta) fue cerrado" in closed
    assert {item["to"] for item in graph.sent} == {"573001112233"}
    assert status_emails_to_ana(world) == 0


def test_the_notices_speak_the_contacts_language(
    world: World, meta: Meta, graph: GraphStandIn, django_capture_on_commit_callbacks: Any
) -> None:
    ana_prefers(world, NotificationChannel.WHATSAPP, language="en")
    meta.send(samples.text(ANA_PHONE, "VPN down"))
    ticket = Ticket.objects.get()
    move(world, ticket, StatusKind.PENDING, django_capture_on_commit_callbacks)
    received, waiting = texts(graph)
    assert received.startswith(f"We received your ticket #{ticket.number}")
    assert waiting.startswith(f"Your ticket #{ticket.number} (VPN down) is waiting for your answer")


def test_outside_the_window_the_template_mapped_to_the_stage_goes_in_the_contacts_language(
    world: World,
    meta: Meta,
    number: WhatsAppNumber,
    graph: GraphStandIn,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ana_prefers(world, NotificationChannel.WHATSAPP, language="en")
    meta.send(samples.text(ANA_PHONE, "VPN down"))
    ticket = Ticket.objects.get()
    graph.sent.clear()
    for name, language in (("espera_es", "es"), ("waiting_en", "en_US")):
        MessageTemplate.objects.create(
            number=number, use=TemplateUse.WAITING, name=name, language=language, parameters=["number"]
        )
    MessageTemplate.objects.create(
        number=number, use=TemplateUse.WAITING, name="waiting_old", language="en", approved=False
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        move(world, ticket, StatusKind.PENDING, django_capture_on_commit_callbacks)
    (sent,) = graph.sent
    assert sent["template"]["name"] == "waiting_en"
    assert sent["template"]["components"][0]["parameters"] == [{"type": "text", "text": str(ticket.number)}]
    assert status_emails_to_ana(world) == 0


def test_outside_the_window_without_a_template_the_email_goes_instead(
    world: World, meta: Meta, graph: GraphStandIn, django_capture_on_commit_callbacks: Any
) -> None:
    ana_prefers(world, NotificationChannel.WHATSAPP)
    meta.send(samples.text(ANA_PHONE, "El VPN no conecta"))
    ticket = Ticket.objects.get()
    received_confirmation(graph)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        move(world, ticket, StatusKind.RESOLVED, django_capture_on_commit_callbacks)
    assert graph.sent == []
    assert status_emails_to_ana(world, ("ticket_status",)) == 1


def test_a_contact_with_both_gets_both(
    world: World, meta: Meta, graph: GraphStandIn, django_capture_on_commit_callbacks: Any
) -> None:
    ana_prefers(world, NotificationChannel.BOTH)
    meta.send(samples.text(ANA_PHONE, "El VPN no conecta"))
    ticket = Ticket.objects.get()
    move(world, ticket, StatusKind.RESOLVED, django_capture_on_commit_callbacks)
    assert len(texts(graph)) == 2  # received, resolved
    assert status_emails_to_ana(world) == 2


def test_a_web_ticket_of_a_whatsapp_only_contact_is_confirmed_by_whatsapp_with_a_template(
    world: World, number: WhatsAppNumber, graph: GraphStandIn, django_capture_on_commit_callbacks: Any
) -> None:
    ana_prefers(world, NotificationChannel.WHATSAPP)
    MessageTemplate.objects.create(
        number=number, use=TemplateUse.RECEIVED, name="recibido", language="es", parameters=["number", "link"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        ticket = actions.open_ticket(
            world.ana.user,
            channel=Channel.WEB,
            organization=world.acme,
            requester=world.ana,
            queue=world.soporte,
            subject="Impresora",
            text="No imprime",
        )
    (sent,) = graph.sent
    assert sent["template"]["name"] == "recibido"
    assert sent["template"]["components"][0]["parameters"][0]["text"] == str(ticket.number)
    assert status_emails_to_ana(world) == 0


def test_each_notice_is_queued_once(
    world: World, meta: Meta, graph: GraphStandIn, django_capture_on_commit_callbacks: Any
) -> None:
    ana_prefers(world, NotificationChannel.WHATSAPP)
    meta.send(samples.text(ANA_PHONE, "El VPN no conecta"))
    ticket = Ticket.objects.get()
    old = ticket.status
    move(world, ticket, StatusKind.RESOLVED, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        notify.status_changed(ticket, old, ticket.status, world.agente.user)  # the same change again
        notify.ticket_opened(ticket)
    assert len(graph.sent) == 2
    assert OutboundMessage.objects.count() == 2
