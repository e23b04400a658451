"""The MTA pipe: `atiende mail ingest < message.eml`."""

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from atiende.mail.models import InboundEmail, InboundStatus
from atiende.tickets import actions
from atiende.tickets.models import Channel, LinkKind, Ticket
from tests.factories import open_ticket

MESSAGES = Path(__file__).parent / "messages"


def ingest(monkeypatch, raw: bytes, *args: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("mail", "ingest", *args, stdout=out)
    return out.getvalue().strip()


def test_a_covey_subject_opens_a_ticket_with_its_priority_and_files(world, monkeypatch):
    world.soporte.email_address = "soporte@atiende.test"
    world.soporte.save()

    result = json.loads(ingest(monkeypatch, (MESSAGES / "covey_with_attachment.eml").read_bytes(), "--json"))

    ticket = Ticket.objects.get()
    assert result["outcome"] == f"created #{ticket.number}"
    assert result["subject"] == "SIN INTERNET ÁREA DE SERVICIOS"
    assert result["requester"] == "luis@acme.test"
    assert result["priority"] == "Urgente"
    assert result["attachments"] == ["ping.txt"]
    assert (ticket.channel, ticket.queue, ticket.requester) == (Channel.EMAIL, world.soporte, world.luis)
    assert "Extensión: 214" in ticket.messages.get().body_text
    assert InboundEmail.objects.get().status == InboundStatus.PROCESSED


def test_the_same_message_twice_makes_one_ticket(world, monkeypatch):
    raw = (MESSAGES / "covey_with_attachment.eml").read_bytes()

    first = ingest(monkeypatch, raw)
    second = ingest(monkeypatch, raw)

    assert first == second
    assert Ticket.objects.count() == 1
    assert InboundEmail.objects.count() == 1


def test_without_a_message_id_the_content_hash_keeps_it_idempotent(world, monkeypatch):
    raw = (MESSAGES / "latin1_no_message_id.eml").read_bytes()

    ingest(monkeypatch, raw)
    ingest(monkeypatch, raw)

    ticket = Ticket.objects.get()
    assert ticket.subject == "Impresora atascada en recepción"
    assert "recepción no imprime" in ticket.messages.get().body_text


def test_a_subject_tag_adds_a_reply_to_that_ticket(world, monkeypatch):
    ticket = open_ticket(world.luis, world.soporte)
    raw = (
        f"From: luis@acme.test\nTo: soporte@atiende.test\nSubject: RE: [#{ticket.number}] La impresora\n"
        "Message-ID: <reply-1@acme.test>\nContent-Type: text/plain; charset=utf-8\n\nSigue igual.\n"
    ).encode()

    assert ingest(monkeypatch, raw).startswith(f"updated #{ticket.number} (held: unverified sender")
    reply = ticket.messages.last()
    assert reply is not None
    assert (reply.body_text, reply.channel, reply.email_message_id) == (
        "Sigue igual.",
        "email",
        "<reply-1@acme.test>",
    )


def test_a_reply_to_a_closed_ticket_opens_a_new_one_linked_to_it(world, monkeypatch):
    closed = open_ticket(world.luis, world.soporte)
    actions.close_ticket(world.agente.user, closed)
    raw = (
        f"From: luis@acme.test\nTo: soporte@atiende.test\nSubject: Re: [#{closed.number}] Vuelve a fallar\n"
        "Message-ID: <reply-2@acme.test>\nContent-Type: text/plain; charset=utf-8\n\nOtra vez.\n"
    ).encode()

    result = ingest(monkeypatch, raw)

    new = Ticket.objects.exclude(pk=closed.pk).get()
    assert result == f"created #{new.number}"
    assert new.subject == "Vuelve a fallar"
    assert new.links_out.get().target == closed
    assert new.links_out.get().kind == LinkKind.CONTINUES


def test_someone_who_may_not_write_on_a_ticket_opens_their_own(world, monkeypatch):
    foreign = open_ticket(world.luis, world.soporte)
    raw = (
        f"From: carla@globex.test\nTo: soporte@atiende.test\nSubject: [#{foreign.number}] colándome\n"
        "Message-ID: <sneak@globex.test>\nContent-Type: text/plain; charset=utf-8\n\nHola.\n"
    ).encode()

    ingest(monkeypatch, raw)

    assert foreign.messages.count() == 1
    assert Ticket.objects.get(requester=world.carla).organization == world.globex


def test_an_unknown_sender_is_quarantined_with_the_reason(world, monkeypatch):
    result = ingest(monkeypatch, (MESSAGES / "unknown_sender.eml").read_bytes())

    assert result == "quarantined: unknown sender alguien@desconocido.test: no company uses the domain"
    stored = InboundEmail.objects.get()
    assert stored.status == InboundStatus.QUARANTINED
    assert bytes(stored.raw).startswith(b"From: alguien@")
    assert not Ticket.objects.exists()


def test_auto_replies_are_ignored(world, monkeypatch):
    assert ingest(monkeypatch, (MESSAGES / "auto_reply.eml").read_bytes()).startswith("ignored:")
    assert not Ticket.objects.exists()


def test_when_the_message_cannot_be_stored_the_mta_is_told_to_retry(world, monkeypatch):
    def broken_store(raw, *, source):
        raise ConnectionError("database is down")

    monkeypatch.setattr("atiende.mail.management.commands.mail.store", broken_store)

    with pytest.raises(SystemExit) as exited:
        ingest(monkeypatch, (MESSAGES / "unknown_sender.eml").read_bytes())

    assert exited.value.code == 75


def test_garbage_is_stored_and_quarantined_not_lost(world, monkeypatch):
    result = ingest(monkeypatch, b"\x00\xff not an email at all")

    assert result.startswith("quarantined:")
    assert InboundEmail.objects.get().status == InboundStatus.QUARANTINED


@pytest.mark.parametrize(
    ("subject", "level", "stored"),
    [
        ("1_SIN INTERNET", 1, "SIN INTERNET"),
        ("2 - Cambio de clave", 2, "Cambio de clave"),
        ("RE: 3_Actualizar firma", 4, "Actualizar firma"),
        ("FW: 1 Servidor caído", 1, "Servidor caído"),
        ("4_No es Covey", 3, "4_No es Covey"),
        ("Sin prefijo", 3, "Sin prefijo"),
    ],
)
def test_covey_prefixes_set_the_priority_and_leave_the_subject(world, monkeypatch, subject, level, stored):
    raw = (
        f"From: luis@acme.test\nTo: soporte@atiende.test\nSubject: {subject}\nMessage-ID: <c-{level}-{stored}>\n"
        "Content-Type: text/plain; charset=utf-8\n\nDetalle.\n"
    ).encode()

    ingest(monkeypatch, raw)

    ticket = Ticket.objects.get()
    assert (ticket.priority.level, ticket.subject) == (level, stored)


def test_area_and_extension_lines_complete_the_contact_without_overwriting(world, monkeypatch):
    world.luis.extension = "999"
    world.luis.save()

    ingest(monkeypatch, (MESSAGES / "covey_with_attachment.eml").read_bytes())

    world.luis.refresh_from_db()
    assert (world.luis.area, world.luis.extension) == ("Servicios", "999")


@pytest.mark.parametrize(
    "header",
    [
        "X-Autorespond: yes",
        "Precedence: auto_reply",
        "Precedence: bulk",
        "Auto-Submitted: auto-generated",
    ],
)
def test_automatic_mail_never_opens_tickets(world, monkeypatch, header):
    raw = (
        f"From: luis@acme.test\nTo: soporte@atiende.test\nSubject: Fuera de oficina\n{header}\n"
        "Content-Type: text/plain; charset=utf-8\n\nNo estoy.\n"
    ).encode()

    assert ingest(monkeypatch, raw).startswith("ignored:")
    assert not Ticket.objects.exists()


def test_a_message_stored_before_is_found_and_the_transaction_goes_on(world):
    from django.db import transaction

    from atiende.mail.inbound import store

    raw = (MESSAGES / "covey_with_attachment.eml").read_bytes()
    with transaction.atomic():  # as a worker's test runs: inside a transaction
        first, new = store(raw, source="test")
        again, again_new = store(raw, source="test")
        # A refused insert inside a transaction is undone alone: the transaction goes on.
        assert InboundEmail.objects.count() == 1

    assert (new, again_new) == (True, False)
    assert again.pk == first.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_a_new_message_is_stored_in_one_statement(django_assert_num_queries):
    from atiende.mail.inbound import store

    raw = (MESSAGES / "covey_with_attachment.eml").read_bytes()
    with django_assert_num_queries(1):
        record, new = store(raw, source="test")
    with django_assert_num_queries(2):  # the refused insert, then the one stored before
        again, again_new = store(raw, source="test")

    assert (new, again_new) == (True, False)
    assert again.pk == record.pk
