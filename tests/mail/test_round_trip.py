"""The whole email channel with real servers: a contact writes to the support mailbox
(dovecot), the poller opens a ticket, an engineer answers in the desk, the contact
receives the answer over SMTP (aiosmtpd) with threading headers, replies from their
mail client with another subject, and the reply lands on the same ticket."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.test import override_settings
from django.urls import reverse

from atiende.mail.imap import poll_mailbox
from atiende.mail.models import Mailbox, MailboxSecurity
from atiende.outbox.headers import is_ours
from atiende.outbox.message_ids import message_ids_in, ticket_number_from
from atiende.outbox.outbox import deliver_due
from atiende.outbox.reply_tokens import base_address
from atiende.tickets.models import Channel, MessageKind, SenderCheck, Ticket
from tests.mail.servers import USERS

pytestmark = pytest.mark.server

SUPPORT = "soporte@mail.test"


def sink_settings(port: int) -> override_settings:
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
    )


def test_email_to_ticket_to_desk_reply_to_email_reply_on_the_same_ticket(world, dovecot, smtp_sink, client):
    world.soporte.email_address = SUPPORT
    world.soporte.save()
    mailbox = Mailbox.objects.create(
        name="soporte",
        queue=world.soporte,
        host="127.0.0.1",
        port=dovecot.port,
        security=MailboxSecurity.NONE,
        username=SUPPORT,
        password=USERS[SUPPORT],
    )
    first = EmailMessage()
    first["From"] = "Luis Acme <luis@acme.test>"
    first["To"] = SUPPORT
    first["Subject"] = "2_La impresora de recepción no imprime"
    first["Message-ID"] = original_id = make_msgid(domain="acme.test")
    first.set_content(
        "Buenos días,\n\nLa impresora no imprime desde ayer.\n\nÁrea: Recepción\nExtensión: 214\n"
    )
    dovecot.deliver(SUPPORT, first.as_bytes())

    with sink_settings(smtp_sink.port):
        # 1. The poller opens the ticket; the contact gets the confirmation.
        assert poll_mailbox(mailbox).new == 1
        ticket = Ticket.objects.get()
        assert (ticket.channel, ticket.requester, ticket.priority.covey) == (Channel.EMAIL, world.luis, 2)
        deliver_due()
        confirmation = next(m for m in smtp_sink.wait_for(2) if m["To"] == "luis@acme.test")
        notice = next(m for m in smtp_sink.messages if m["To"] == "agente@atiende.test")
        assert f"[#{ticket.number}]" in notice["Subject"]  # new ticket in the engineer's queue
        assert f"[#{ticket.number}]" in confirmation["Subject"]
        assert confirmation["In-Reply-To"] == original_id
        assert confirmation["Auto-Submitted"] == "auto-replied"
        smtp_sink.clear()

        # 2. The engineer answers in the desk.
        client.force_login(world.agente.user)
        response = client.post(
            reverse("desk:ticket-compose", args=[ticket.number]),
            {"kind": "public", "text": "Luis, ¿puede enviarnos una foto del panel de la impresora?"},
        )
        assert response.status_code in {200, 302}
        deliver_due()
        answer = next(m for m in smtp_sink.wait_for(1) if m["To"] == "luis@acme.test")
        assert "foto del panel" in answer.get_body(("plain",)).get_content()
        assert ticket_number_from(answer["Message-ID"]) == ticket.number
        assert original_id in message_ids_in(answer["References"])
        # Replies go to the support address with a token signed for Luis and this ticket.
        assert base_address(answer["Reply-To"]) == SUPPORT != answer["Reply-To"]
        assert is_ours(answer["X-Atiende-Loop"])

        # 3. The contact replies from their client, changing the subject.
        reply = EmailMessage()
        reply["From"] = "luis@acme.test"
        reply["To"] = answer["Reply-To"]
        reply["Subject"] = "foto adjunta"
        reply["Message-ID"] = make_msgid(domain="acme.test")
        reply["In-Reply-To"] = answer["Message-ID"]
        reply["References"] = f"{answer['References']} {answer['Message-ID']}"
        reply.set_content(
            "Adjunto la foto.\n\nEl dom, 22 nov 2026 a las 10:00, Soporte <soporte@mail.test> escribió:\n"
            "> Luis, ¿puede enviarnos una foto del panel de la impresora?\n"
        )
        reply.add_attachment(b"\x89PNG\r\n\x1a\nfoto", maintype="image", subtype="png", filename="panel.png")
        dovecot.deliver(SUPPORT, reply.as_bytes())
        assert poll_mailbox(mailbox).new == 1

    assert Ticket.objects.count() == 1
    last = ticket.messages.filter(kind=MessageKind.PUBLIC).order_by("created_at", "id").last()
    assert last is not None
    assert (last.author, last.body_text, last.channel) == (world.luis.user, "Adjunto la foto.", Channel.EMAIL)
    assert last.sender_check == SenderCheck.REPLY_TOKEN  # the signed address proved it was Luis
    assert [file.filename for file in last.attachments.all()] == ["panel.png"]
    assert all("\\Seen" in flags for flags, _raw in dovecot.messages(SUPPORT))
