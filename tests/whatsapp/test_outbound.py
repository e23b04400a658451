"""An engineer's public reply goes back by WhatsApp: queued with the reply, sent by a task
through the Graph API, never twice; outside the 24-hour window only a mapped template."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from atiende.accounts.models import NotificationChannel
from atiende.outbox.models import OutboundEmail
from atiende.tickets import actions
from atiende.tickets.attachments import Upload
from atiende.tickets.models import Channel, MessageKind, Status, StatusKind, Ticket
from atiende.whatsapp import outbound, samples
from atiende.whatsapp.models import MessageTemplate, OutboundMessage, OutboundStatus, TemplateUse
from atiende.whatsapp.tasks import deliver_due
from tests.conftest import World
from tests.whatsapp.conftest import ANA_PHONE, Meta, received_confirmation
from tests.whatsapp.graph_standin import GraphStandIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(meta: Meta, graph: GraphStandIn) -> Ticket:
    """A ticket Ana opened by WhatsApp; its received confirmation is tested in
    test_stage_notices.py and set aside here, so each test sees only its own sends."""
    meta.send(samples.text(ANA_PHONE, "El VPN no conecta"))
    received_confirmation(graph)
    return Ticket.objects.get()


def reply(
    world: World,
    ticket: Ticket,
    capture: Any,
    text: str = "Reinicie el cliente VPN, por favor",
    **kwargs: Any,
) -> Any:
    with capture(execute=True):
        return actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text=text, **kwargs)


def test_an_engineers_reply_is_sent_by_whatsapp(
    world: World, ticket: Ticket, graph: GraphStandIn, django_capture_on_commit_callbacks: Any
) -> None:
    reply(world, ticket, django_capture_on_commit_callbacks)
    (sent,) = graph.sent
    assert sent["to"] == "573001112233"
    assert sent["type"] == "text"
    assert sent["text"]["body"] == "Reinicie el cliente VPN, por favor"
    row = OutboundMessage.objects.get()
    assert row.status == OutboundStatus.SENT
    assert row.wamid == sent["wamid"]


def test_files_follow_the_text(
    world: World, ticket: Ticket, graph: GraphStandIn, django_capture_on_commit_callbacks: Any
) -> None:
    reply(
        world, ticket, django_capture_on_commit_callbacks, attachments=[Upload("guia.pdf", b"%PDF-1.4 guia")]
    )
    assert [item["type"] for item in graph.sent] == ["text", "document"]
    assert graph.sent[1]["document"] == {"id": graph.uploads[0]["id"], "filename": "guia.pdf"}
    assert b"%PDF-1.4 guia" in graph.uploads[0]["body"]


def test_notes_and_the_customers_own_messages_are_not_sent(
    world: World, ticket: Ticket, graph: GraphStandIn, meta: Meta, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_note(world.agente.user, ticket, text="Revisar el firewall")
    meta.send(samples.text(ANA_PHONE, "¿Alguna novedad?"))
    assert graph.sent == []
    assert not OutboundMessage.objects.exists()


def test_outside_the_window_only_the_mapped_template_is_sent(
    world: World, ticket: Ticket, graph: GraphStandIn, meta: Meta, django_capture_on_commit_callbacks: Any
) -> None:
    MessageTemplate.objects.create(
        number=meta.number,
        use=TemplateUse.NEW_REPLY,
        name="nueva_respuesta",
        language="es",
        parameters=["number", "link"],
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        reply(world, ticket, django_capture_on_commit_callbacks)
    (sent,) = graph.sent
    assert sent["type"] == "template"
    assert sent["template"]["name"] == "nueva_respuesta"
    parameters = sent["template"]["components"][0]["parameters"]
    assert parameters[0] == {"type": "text", "text": str(ticket.number)}
    assert parameters[1]["text"].endswith(f"/portal/tickets/{ticket.number}/")
    assert "VPN" not in str(sent)  # the reply itself waits for the contact to write


def test_outside_the_window_without_a_template_nothing_is_sent(
    world: World, ticket: Ticket, graph: GraphStandIn, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        reply(world, ticket, django_capture_on_commit_callbacks)
    assert graph.sent == []
    assert any(email.to == ["ana@acme.test"] for email in OutboundEmail.objects.all())  # the usual email


def test_the_contacts_message_reopens_the_window(
    world: World, ticket: Ticket, graph: GraphStandIn, meta: Meta, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=30)):
        meta.send(samples.text(ANA_PHONE, "Sigue sin conectar"))
        reply(world, ticket, django_capture_on_commit_callbacks)
    assert graph.sent[0]["type"] == "text"


def test_a_transient_failure_is_retried_and_sent_once(
    world: World, ticket: Ticket, graph: GraphStandIn, django_capture_on_commit_callbacks: Any
) -> None:
    graph.fail_next(503)
    reply(world, ticket, django_capture_on_commit_callbacks)
    row = OutboundMessage.objects.get()
    assert row.status == OutboundStatus.PENDING
    assert row.attempts == 1
    assert "HTTP 503" in row.error
    assert deliver_due() == 0  # not due yet
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        assert deliver_due() == 1
        assert deliver_due() == 0
    assert len(graph.sent) == 1


def test_a_permanent_failure_becomes_a_note_and_falls_back_to_email(
    world: World, ticket: Ticket, graph: GraphStandIn, django_capture_on_commit_callbacks: Any
) -> None:
    world.ana.notify_by = NotificationChannel.WHATSAPP
    world.ana.save()
    graph.fail_next(400, code=131026, message="Message undeliverable")
    mail.outbox.clear()
    reply(world, ticket, django_capture_on_commit_callbacks)
    row = OutboundMessage.objects.get()
    assert row.status == OutboundStatus.FAILED
    note = ticket.messages.get(kind=MessageKind.EVENT)
    assert "131026" in note.body_text
    assert "correo" in note.body_text
    (email,) = [email for email in mail.outbox if email.to == ["ana@acme.test"]]
    assert "Reinicie el cliente VPN" in email.body


def test_whatsapp_only_contacts_get_no_email_when_whatsapp_works(
    world: World, ticket: Ticket, graph: GraphStandIn, django_capture_on_commit_callbacks: Any
) -> None:
    world.ana.notify_by = NotificationChannel.WHATSAPP
    world.ana.save()
    mail.outbox.clear()
    reply(world, ticket, django_capture_on_commit_callbacks)
    assert len(graph.sent) == 1
    assert [email for email in mail.outbox if email.to == ["ana@acme.test"]] == []


def test_delivery_statuses_move_forward_only(
    world: World, ticket: Ticket, meta: Meta, django_capture_on_commit_callbacks: Any
) -> None:
    reply(world, ticket, django_capture_on_commit_callbacks)
    row = OutboundMessage.objects.get()
    meta.statuses(samples.status(row.wamid, "delivered", ANA_PHONE))
    meta.statuses(samples.status(row.wamid, "read", ANA_PHONE))
    meta.statuses(samples.status(row.wamid, "delivered", ANA_PHONE))  # late: ignored
    row.refresh_from_db()
    assert row.status == OutboundStatus.READ


def test_a_failed_status_carries_metas_error_to_the_thread(
    world: World, ticket: Ticket, meta: Meta, django_capture_on_commit_callbacks: Any
) -> None:
    reply(world, ticket, django_capture_on_commit_callbacks)
    row = OutboundMessage.objects.get()
    errors = [
        {"code": 131047, "title": "Re-engagement message", "error_data": {"details": "More than 24 hours"}}
    ]
    meta.statuses(samples.status(row.wamid, "failed", ANA_PHONE, errors=errors))
    meta.statuses(samples.status(row.wamid, "failed", ANA_PHONE, errors=errors))
    row.refresh_from_db()
    assert row.status == OutboundStatus.FAILED
    assert row.error == "131047 Re-engagement message: More than 24 hours"
    assert ticket.messages.filter(kind=MessageKind.EVENT).count() == 1


def test_statuses_of_unknown_messages_change_nothing(meta: Meta) -> None:
    meta.statuses(samples.status("wamid.someone-else", "read", ANA_PHONE))
    assert not OutboundMessage.objects.exists()


def test_resolving_tells_the_contact_in_the_window(
    world: World, ticket: Ticket, graph: GraphStandIn, django_capture_on_commit_callbacks: Any
) -> None:
    resolved = Status.objects.filter(kind=StatusKind.RESOLVED).first()
    assert resolved is not None
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_status(world.agente.user, ticket, resolved)
    (sent,) = graph.sent
    assert f"#{ticket.number}" in sent["text"]["body"]


def test_queueing_twice_sends_once(
    world: World, ticket: Ticket, graph: GraphStandIn, django_capture_on_commit_callbacks: Any
) -> None:
    message = reply(world, ticket, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbound.queue_reply(message) == []
    assert len(graph.sent) == 1
