"""The headers of ticket email as sent: threading, Reply-To, automatic-mail markers, the
loop header and the subject tag."""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from django.core import mail
from django.db import transaction

from atiende.outbox.headers import is_ours, loop_token
from atiende.outbox.message_ids import message_ids_in, ticket_number_from, ticket_root_id
from atiende.outbox.message_ids import verified_ticket as verified_message_ticket
from atiende.outbox.models import OutboundEmail
from atiende.outbox.outbox import send_again
from atiende.outbox.reply_tokens import base_address, reply_address, verified_ticket
from atiende.tickets import actions
from atiende.tickets.models import Channel, Message, StatusKind, Ticket
from tests.factories import LocationFactory, open_ticket

MESSAGE_ID = re.compile(r"^<atiende\.[0-9a-f]{32}\.t\d+\.[0-9a-f]{16}\.r[0-9a-f]{16}@atiende\.test>$")


def sent_to(address: str) -> list[EmailMessage]:
    """What the address received, parsed from the bytes as they left."""
    parsed = []
    for sent in mail.outbox:
        if address in sent.to:
            message = BytesParser(policy=policy.default).parsebytes(sent.message().as_bytes())
            assert isinstance(message, EmailMessage)
            parsed.append(message)
    return parsed


def mid(message: EmailMessage, name: str = "Message-ID") -> str | None:
    """A Message-ID header's value (long ones are folded onto the next line as sent)."""
    value = message[name]
    return None if value is None else str(value).strip()


def references(message: EmailMessage) -> list[str]:
    return message_ids_in(str(message["References"]))


def test_three_emails_of_a_portal_ticket_form_one_thread(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(world.luis, world.soporte, subject="Sin internet")
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Reinicie el módem.")
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_status(world.agente.user, ticket, actions.default_status(StatusKind.RESOLVED))

    opened, reply, resolved = sent_to("luis@acme.test")
    root = ticket_root_id(ticket.number)
    for message in (opened, reply, resolved):
        assert MESSAGE_ID.match(str(mid(message)))
        assert ticket_number_from(str(mid(message))) == ticket.number
        assert references(message)[0] == root
    assert ticket_number_from(root) == ticket.number

    assert references(opened) == [root]
    assert mid(opened, "In-Reply-To") is None
    assert references(reply) == [root, mid(opened)]
    assert mid(reply, "In-Reply-To") == mid(opened)
    assert references(resolved) == [root, mid(opened), mid(reply)]
    assert mid(resolved, "In-Reply-To") == mid(reply)

    assert opened["Subject"] == f"[#{ticket.number}] Sin internet"
    assert reply["Subject"] == resolved["Subject"] == f"Re: [#{ticket.number}] Sin internet"


def test_every_ticket_email_names_our_installation_and_hushes_auto_responders(
    world, settings, django_capture_on_commit_callbacks
):
    world.soporte.email_address = "soporte@proveedor.test"
    world.soporte.save()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(world.luis, world.soporte)
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Listo.")
    with django_capture_on_commit_callbacks(execute=True):
        actions.close_ticket(world.agente.user, ticket)

    opened, reply, closed = sent_to("luis@acme.test")
    (agent_notice,) = sent_to("agente@atiende.test")
    for message in (opened, reply, closed, agent_notice):
        # The queue's address, with a token signed for this ticket and this reader.
        reader = str(message["To"])
        assert message["Reply-To"] == reply_address("soporte@proveedor.test", ticket.number, reader)
        assert base_address(str(message["Reply-To"])) == "soporte@proveedor.test"
        assert verified_ticket(reader, [str(message["Reply-To"])]) == ticket.number
        assert verified_ticket("otro@acme.test", [str(message["Reply-To"])]) is None
        assert message["X-Auto-Response-Suppress"] == "All"
        assert message[settings.ATIENDE_LOOP_HEADER] == loop_token()
        assert is_ours(str(message[settings.ATIENDE_LOOP_HEADER]))
        assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert (opened["Auto-Submitted"], closed["Auto-Submitted"], agent_notice["Auto-Submitted"]) == (
        "auto-generated",
        "auto-generated",
        "auto-generated",
    )
    # An engineer wrote the reply: it is human mail.
    assert reply["Auto-Submitted"] is None
    assert "Cerrado" in closed.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_without_a_queue_address_replies_go_to_the_support_address(
    world, settings, django_capture_on_commit_callbacks
):
    settings.ATIENDE_SUPPORT_EMAIL = "ayuda@proveedor.test"
    world.soporte.email_address = ""
    world.soporte.save()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(world.luis, world.soporte)

    reply_to = str(sent_to("luis@acme.test")[0]["Reply-To"])
    assert reply_to == reply_address("ayuda@proveedor.test", ticket.number, "luis@acme.test")
    assert reply_to.startswith("ayuda+t") and reply_to.endswith("@proveedor.test")


def test_the_loop_token_depends_on_the_installation(settings):
    ours = loop_token()
    settings.SECRET_KEY = "another-installation-secret-key-0123456789-abcdefghijkl"
    assert loop_token() != ours
    assert not is_ours(ours)


def open_by_email(world, message_id: str) -> Ticket:
    """What the mail channel does: open the ticket for the sender with the email's
    Message-ID."""
    return open_ticket(
        world.luis, world.soporte, subject="Impresora", channel=Channel.EMAIL, email_message_id=message_id
    )


def test_a_ticket_opened_by_email_threads_under_the_customers_email(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_by_email(world, "<first@mail.acme.test>")
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="¿Qué modelo es?")
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(
            world.luis.user,
            ticket,
            channel=Channel.EMAIL,
            text="Una HP.",
            email_message_id="<second@mail.acme.test>",
        )
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Gracias, voy para allá.")

    confirmation, first_reply, second_reply = sent_to("luis@acme.test")
    # The confirmation answers the customer's email, automatically.
    assert confirmation["Auto-Submitted"] == "auto-replied"
    assert mid(confirmation, "In-Reply-To") == "<first@mail.acme.test>"
    assert references(confirmation) == ["<first@mail.acme.test>"]
    assert confirmation["Subject"] == f"Re: [#{ticket.number}] Impresora"
    assert mid(first_reply, "In-Reply-To") == mid(confirmation)
    # The second reply answers the customer's emailed answer.
    assert mid(second_reply, "In-Reply-To") == "<second@mail.acme.test>"
    assert references(second_reply) == [
        "<first@mail.acme.test>",
        mid(confirmation),
        mid(first_reply),
        "<second@mail.acme.test>",
    ]


def test_a_message_id_stored_later_in_the_same_transaction_is_still_the_root(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ticket = open_ticket(world.luis, world.soporte, channel=Channel.EMAIL)
        Message.objects.filter(ticket=ticket).update(email_message_id="<late@mail.acme.test>")

    (confirmation,) = sent_to("luis@acme.test")
    assert references(confirmation) == ["<late@mail.acme.test>"]
    assert mid(confirmation, "In-Reply-To") == "<late@mail.acme.test>"


def test_references_keep_the_root_and_the_latest_ten(world, django_capture_on_commit_callbacks):
    ticket = open_ticket(world.luis, world.soporte)
    for number in range(12):
        actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text=f"Mensaje {number}")
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="El último")

    emails = list(OutboundEmail.objects.filter(to=["luis@acme.test"]).order_by("pk"))
    (last,) = sent_to("luis@acme.test")
    assert references(last) == [ticket_root_id(ticket.number), *[e.message_id for e in emails[-11:-1]]]
    assert mid(last, "In-Reply-To") == emails[-2].message_id


def test_each_recipient_threads_only_the_mail_they_received(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(world.luis, world.soporte)
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="¿Alguna novedad?")

    new_ticket, customer_replied = sent_to("agente@atiende.test")
    (confirmation,) = sent_to("luis@acme.test")
    assert references(customer_replied) == [ticket_root_id(ticket.number), mid(new_ticket)]
    assert mid(confirmation) not in references(customer_replied)


def test_a_retry_sends_the_same_message_id_and_threading(world, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(world.luis, world.soporte)
    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Hola")
    email = OutboundEmail.objects.get(kind="ticket_reply")
    stored = dict(email.headers)
    assert email.attempts == 1 and "References" in stored

    # Mail sent meanwhile must not change the failed email's place in the thread.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_status(world.agente.user, ticket, actions.default_status(StatusKind.PENDING))
    assert send_again([email]) == 1
    email.refresh_from_db()
    assert email.headers == stored
    reply = next(m for m in sent_to("luis@acme.test") if mid(m) == email.message_id)
    assert references(reply) == message_ids_in(stored["References"])
    assert mid(reply, "In-Reply-To") == stored["In-Reply-To"]


@pytest.mark.parametrize("language", ["es", "en"])
def test_text_and_html_parts_in_the_recipients_language(world, language, django_capture_on_commit_callbacks):
    world.luis.user.language = language
    world.luis.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(world.luis, world.soporte, subject="Router & switch <caído>")

    (message,) = sent_to("luis@acme.test")
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    greeting = {"es": "Hola Luis", "en": "Hello Luis"}[language]
    assert greeting in text and greeting in html
    assert f'<html lang="{language}">' in html
    # Plain text is not HTML-escaped; HTML is.
    assert message["Subject"] == f"[#{ticket.number}] Router & switch <caído>"
    assert "Router & switch <caído>" in text
    assert "Router &amp; switch &lt;caído&gt;" in html


EXPECTED_AUTO_SUBMITTED = {
    "ticket_opened": "auto-generated",
    "agent_new_ticket": "auto-generated",
    "agent_assigned": "auto-generated",
    "agent_customer_replied": "auto-generated",
    "ticket_changed_by_requester": "auto-generated",
    "ticket_status": "auto-generated",
    "ticket_merged": "auto-generated",
    "ticket_reply": None,
}


def test_every_kind_of_ticket_notice_carries_the_headers(world, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(world.luis, world.soporte, subject="Correo lento")
        duplicate = open_ticket(world.ana, world.soporte, subject="Correo lento también")
        actions.assign_ticket(world.supervisor.user, ticket, world.agente)
        actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Sigue lento.")
        actions.change_ticket(
            world.luis.user, ticket, location=LocationFactory.create(organization=world.acme, name="Bodega")
        )
        actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Revisando.")
        actions.change_status(world.agente.user, ticket, actions.default_status(StatusKind.PENDING))
        actions.merge_tickets(world.agente.user, duplicate, ticket)

    rows = {email.message_id: email for email in OutboundEmail.objects.all()}
    assert set(EXPECTED_AUTO_SUBMITTED) == {email.kind for email in rows.values()}
    assert len(mail.outbox) == len(rows)
    for sent in mail.outbox:
        message = BytesParser(policy=policy.default).parsebytes(sent.message().as_bytes())
        row = rows[str(message["Message-ID"]).strip()]
        number = row.ticket_number
        assert number is not None
        assert MESSAGE_ID.match(row.message_id) and ticket_number_from(row.message_id) == number
        assert re.fullmatch(rf"(Re: )?\[#{number}\] .+", str(message["Subject"])), message["Subject"]
        (reader,) = row.to
        assert message["Reply-To"] == reply_address(settings.ATIENDE_SUPPORT_EMAIL, number, reader)
        assert verified_message_ticket([row.message_id], reader) == number
        assert verified_message_ticket([row.message_id], "someone-else@acme.test") is None
        assert message["X-Auto-Response-Suppress"] == "All"
        assert message[settings.ATIENDE_LOOP_HEADER] == loop_token()
        assert message["Auto-Submitted"] == EXPECTED_AUTO_SUBMITTED[row.kind], row.kind
        assert references(message)[0] == ticket_root_id(number)
        assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
