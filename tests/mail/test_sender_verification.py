"""Mail that is what it claims: duplicates, shared Message-IDs, poisoned headers, too many
files, and new tickets from senders that prove nothing."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser

import pytest
from django.test import override_settings
from django.urls import reverse

from atiende.accounts.models import User
from atiende.mail.inbound import process, store
from atiende.mail.models import InboundEmail, InboundStatus
from atiende.outbox.message_ids import message_ids_in
from atiende.outbox.models import EmailStatus, OutboundEmail
from atiende.outbox.outbox import deliver, deliver_due
from atiende.tickets import actions
from atiende.tickets.models import Channel, Message, SenderCheck, Ticket
from tests.factories import open_ticket
from tests.outbox.smtp_server import Script, smtp_server


def raw(
    sender: str = "luis@acme.test",
    subject: str = "Sin internet",
    body: str = "No hay internet en el piso 3.",
    *,
    message_id: str = "<m-1@acme.test>",
    extra: str = "",
    received: str = "mx1.proveedor.test",
) -> bytes:
    return (
        f"Received: from {received} by soporte\r\n"
        f"From: {sender}\r\nTo: soporte@atiende.test\r\nSubject: {subject}\r\n"
        f"Message-ID: {message_id}\r\n{extra}"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{body}\r\n"
    ).encode()


def deliver_raw(data: bytes) -> tuple[InboundEmail, bool, str]:
    record, new = store(data, source="test")
    outcome = process(record)
    return record, new, outcome.text


# --- de-duplication -----------------------------------------------------------------------


def test_the_same_message_delivered_twice_is_kept_once(world):
    first = deliver_raw(raw(received="mx1.proveedor.test"))
    again = deliver_raw(raw(received="mx2.proveedor.test").replace(b"\r\n", b"\n"))  # other route

    assert (first[1], again[1]) == (True, False)
    assert Ticket.objects.count() == 1


def test_three_messages_sharing_one_message_id_are_three_messages(world):
    bodies = ["La impresora no imprime.", "Tampoco escanea.", "Y el teléfono no suena."]
    results = [deliver_raw(raw(subject=f"Pedido {n}", body=body)) for n, body in enumerate(bodies)]

    assert all(new for _record, new, _text in results)
    assert all(text.startswith("created #") for _record, _new, text in results)
    assert InboundEmail.objects.count() == 3
    texts = sorted(Message.objects.values_list("body_text", flat=True))
    assert texts == sorted(bodies)


def test_someone_else_sending_first_with_a_future_message_id_does_not_suppress_the_real_one(world):
    deliver_raw(
        raw(sender="carla@globex.test", body="Ignoren el próximo correo.", message_id="<real@acme.test>")
    )

    _record, new, text = deliver_raw(raw(body="Necesito acceso al ERP.", message_id="<real@acme.test>"))

    assert new and text.startswith("created #")
    assert (
        Ticket.objects.filter(requester=world.luis).get().messages.get().body_text
        == "Necesito acceso al ERP."
    )


# --- limits -------------------------------------------------------------------------------


@override_settings(ATIENDE_MAIL_MAX_ATTACHMENTS=5)
def test_more_attachments_than_the_limit_quarantines_the_whole_message(world):
    boundary = "b0undary"
    parts = "".join(
        f"--{boundary}\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=f{n}.txt\r\n\r\n"
        f"archivo {n}\r\n"
        for n in range(6)
    )
    data = (
        "From: luis@acme.test\r\nTo: soporte@atiende.test\r\nSubject: Muchos archivos\r\n"
        "Message-ID: <many@acme.test>\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
        f"--{boundary}\r\nContent-Type: text/plain\r\n\r\nVarios archivos.\r\n{parts}--{boundary}--\r\n"
    ).encode()

    record, _new, text = deliver_raw(data)

    assert record.status == InboundStatus.QUARANTINED
    assert text == "quarantined: 6 attachments (the limit is 5)"
    assert not Ticket.objects.exists()


# --- headers that must never poison later mail ---------------------------------------------


@pytest.fixture
def smtp(settings) -> Iterator[Script]:
    script = Script()
    with smtp_server(script) as port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        yield script


def test_a_message_id_hiding_a_line_break_never_stops_the_tickets_later_mail(world, smtp):
    hidden = base64.b64encode(b"<x@acme.test>\r\nBcc: victima@otro.test").decode()
    _record, _new, text = deliver_raw(raw(message_id=f"=?utf-8?b?{hidden}?="))
    assert text.startswith("created #")
    ticket = Ticket.objects.get()
    stored = ticket.messages.get().email_message_id
    assert "\r" not in stored and "\n" not in stored

    deliver_due()
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Reinicie el módem.")
    deliver_due()

    assert not OutboundEmail.objects.exclude(status=EmailStatus.SENT).exists()
    sent = [BytesParser(policy=policy.default).parsebytes(data) for data in smtp.received]
    reply = next(m for m in sent if "Reinicie" in m.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    assert all(m["Bcc"] is None for m in sent)
    assert message_ids_in(str(reply["References"]))  # threaded, with valid ids only


def test_a_poisoned_id_already_stored_is_left_out_of_the_headers_we_send(world, smtp):
    ticket = open_ticket(world.luis, world.soporte, channel=Channel.EMAIL)
    Message.objects.filter(ticket=ticket).update(email_message_id="<a@acme.test>\r\nBcc: victima@otro.test")

    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Listo.")
    deliver_due()

    assert OutboundEmail.objects.filter(status=EmailStatus.SENT).count() == OutboundEmail.objects.count()
    assert all(b"victima" not in data for data in smtp.received)


def test_an_email_that_cannot_be_written_fails_at_once_and_the_desk_says_so(world, client):
    ticket = open_ticket(world.luis, world.soporte)
    reply = actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Listo.")
    email = OutboundEmail.objects.get(dedupe_key__startswith=f"reply:{reply.pk}:")
    email.to = ["luis@acme.test\r\nBcc: x@y.test"]  # an address no server may be given
    email.save()

    deliver(email)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 1)
    client.force_login(world.agente.user)
    page = client.get(reverse("desk:ticket", args=[ticket.number])).content.decode()
    assert "is-failed" in page


# --- new tickets from senders that prove nothing -------------------------------------------


def test_an_unverified_new_ticket_is_opened_marked_and_its_confirmation_repeats_nothing(world):
    _record, _new, text = deliver_raw(raw(subject="Haga clic: premio", body="http://premio.example"))

    ticket = Ticket.objects.get()
    assert text.startswith("created #")
    assert ticket.messages.get().sender_check == SenderCheck.UNVERIFIED
    confirmation = OutboundEmail.objects.get(kind="ticket_opened")
    assert "premio" not in (confirmation.subject + confirmation.body_text + confirmation.body_html).lower()


@override_settings(ATIENDE_MAIL_UNVERIFIED_NEW_TICKETS="quarantine")
def test_with_the_quarantine_setting_an_unverified_sender_opens_nothing_and_creates_nobody(world):
    record, _new, text = deliver_raw(raw(sender="nuevo@acme.test"))

    assert record.status == InboundStatus.QUARANTINED
    assert text.startswith("quarantined: unverified sender nuevo@acme.test")
    assert not Ticket.objects.exists()
    assert not User.objects.filter(email="nuevo@acme.test").exists()


@override_settings(
    ATIENDE_MAIL_UNVERIFIED_NEW_TICKETS="quarantine", ATIENDE_MAIL_TRUSTED_AUTHSERV_IDS=["mx.proveedor.test"]
)
def test_with_the_quarantine_setting_a_sender_the_mail_server_vouches_for_opens_tickets(world):
    results = "Authentication-Results: mx.proveedor.test; dmarc=pass header.from=acme.test\r\n"
    _record, _new, text = deliver_raw(
        raw(extra=results).replace(b"Received: from mx1.proveedor.test by soporte\r\n", b"")
    )

    assert text.startswith("created #")
    assert Ticket.objects.get().messages.get().sender_check == SenderCheck.MAIL_SERVER


def test_a_customer_of_another_company_cannot_write_into_a_ticket_by_its_number(world):
    ticket = open_ticket(world.luis, world.soporte)

    _record, _new, text = deliver_raw(raw(sender="carla@globex.test", subject=f"Re: [#{ticket.number}] X"))

    assert text.startswith("created #")
    assert ticket.messages.count() == 1
    assert Ticket.objects.exclude(pk=ticket.pk).get().organization == world.globex
