"""The corpus: messages as real mail clients and servers write them, each with the
outcome it must have (tests/mail/corpus/expected.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from atiende.mail.inbound import process, store
from atiende.mail.models import InboundEmail
from atiende.mail.replies import AUTOMATIC_ANSWERS
from atiende.outbox.message_ids import new_message_id
from atiende.outbox.models import OutboundEmail
from atiende.outbox.reply_tokens import reply_address
from atiende.tickets import actions
from atiende.tickets.models import Channel, LinkKind, Message, MessageKind, Ticket
from tests.mail.corpus.expected import CASES, Expect

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(path.name for path in CORPUS.glob("*.eml"))
UNSAFE_HTML = re.compile(r"(?i)<\s*script|\son[a-z]+\s*=|javascript:|<\s*iframe|<\s*style")


def _cases() -> list[object]:
    params: list[object] = []
    for name in FILES:
        expect = CASES.get(name)
        marks = (
            [pytest.mark.xfail(strict=True, reason=expect.xfail)]
            if expect is not None and expect.xfail
            else []
        )
        params.append(pytest.param(name, marks=marks, id=name))
    return params


@pytest.fixture
def ticket(world):
    """Luis's printer ticket, which the replies and bounces of the corpus refer to."""
    world.soporte.email_address = "soporte@atiende.test"
    world.soporte.save()
    world.redes.email_address = "redes@atiende.test"
    world.redes.save()
    opened = actions.open_ticket(
        world.luis.user,
        channel=Channel.EMAIL,
        organization=world.acme,
        requester=world.luis,
        queue=world.soporte,
        subject="La impresora no imprime",
        text="Desde esta mañana la impresora del piso 2 no responde.",
        email_message_id="<pedido-impresora-1@acme.test>",
    )
    actions.change_ticket(world.agente.user, opened, cc=["consultor@proveedor.test", "pedro@acme.test"])
    return opened


def raw_message(name: str, ticket: Ticket) -> bytes:
    raw = (CORPUS / name).read_bytes()
    forged = re.sub(r"\.[0-9a-f]{16}@", ".0123456789abcdef@", new_message_id(ticket.number))
    raw = re.sub(
        rb"\{\{REPLY_TO:([^}]+)\}\}",
        lambda found: reply_address("soporte@atiende.test", ticket.number, found[1].decode()).encode(),
        raw,
    )
    raw = re.sub(
        rb"\{\{MID_TO:([^}]+)\}\}",
        lambda found: new_message_id(ticket.number, found[1].decode()).encode(),
        raw,
    )
    return (
        raw.replace(b"{{N}}", str(ticket.number).encode())
        .replace(b"{{MID}}", new_message_id(ticket.number).encode())
        .replace(b"{{FORGED_MID}}", forged.encode())
    )


def stored_message(expect: Expect, record: InboundEmail, ticket: Ticket) -> Message | None:
    if expect.outcome.startswith("created"):
        assert record.ticket_number is not None
        created = Ticket.objects.get(number=record.ticket_number)
        return created.messages.order_by("created_at", "id").first()
    if expect.outcome.startswith(("updated", "bounce")):
        return ticket.messages.order_by("created_at", "id").last()
    return None


def test_every_message_has_an_expectation_and_the_corpus_is_large_enough():
    assert sorted(CASES) == FILES
    assert len(FILES) >= 60


@pytest.mark.parametrize("name", _cases())
def test_corpus_message(world, ticket, settings, name):
    expect = CASES[name]
    for key, value in expect.settings:
        setattr(settings, key, value)
    if expect.setup == "closed":
        actions.close_ticket(world.agente.user, ticket)
    raw = raw_message(name, ticket)
    tickets_before = Ticket.objects.count()
    messages_before = ticket.messages.count()

    record, new = store(raw, source="corpus")
    outcome = process(record)

    assert new
    assert record.status == expect.status, outcome.text
    assert outcome.text.startswith(expect.outcome.format(n=ticket.number)), outcome.text
    created = Ticket.objects.count() - tickets_before
    assert created == (1 if expect.outcome.startswith("created") else 0)
    if expect.outcome.startswith("created"):
        assert ticket.messages.count() == messages_before
        assert record.ticket_number is not None and record.ticket_number == outcome.ticket_number
        new_ticket = Ticket.objects.get(number=record.ticket_number)
        assert new_ticket.channel == Channel.EMAIL
        if expect.setup == "closed":
            assert new_ticket.links_out.get().target == ticket
            assert new_ticket.links_out.get().kind == LinkKind.CONTINUES
    elif expect.outcome.startswith(("updated", "bounce")):
        assert ticket.messages.count() == messages_before + 1
    else:
        assert ticket.messages.count() == messages_before

    message = stored_message(expect, record, ticket)
    if message is not None:
        shown = Ticket.objects.get(pk=message.ticket_id)
        if expect.outcome.startswith("bounce"):
            assert message.kind == MessageKind.EVENT
        else:
            assert message.kind == MessageKind.PUBLIC
            assert message.channel == Channel.EMAIL
        if expect.subject is not None:
            assert shown.subject == expect.subject
        if expect.requester is not None:
            assert shown.requester.user.email == expect.requester
        if expect.priority is not None:
            assert str(shown.priority) == expect.priority
        if expect.queue is not None:
            assert shown.queue.slug == expect.queue
        if expect.attachments is not None:
            assert sorted(a.filename for a in message.attachments.all()) == sorted(expect.attachments)
        if expect.content_id is not None:
            assert message.attachments.filter(content_id=expect.content_id).exists()
        if expect.sender_check is not None:
            assert message.sender_check == expect.sender_check
        if expect.contains is not None:
            assert expect.contains in message.body_text
        if expect.excludes is not None:
            assert expect.excludes not in message.body_text
        if expect.html:
            assert message.body_html.strip()
            assert not UNSAFE_HTML.search(message.body_html), message.body_html
        if expect.html_contains is not None:
            assert expect.html_contains in message.body_html
        if expect.contact is not None:
            contact = shown.requester if expect.outcome.startswith("created") else None
            assert contact is not None
            assert (contact.area, contact.extension) == expect.contact
    if expect.answer is not None:
        answers = list(
            OutboundEmail.objects.filter(kind__in=AUTOMATIC_ANSWERS).values_list("kind", flat=True)
        )
        assert answers == ([expect.answer] if expect.answer else [])

    # The same message again (a retried pipe, a mailbox polled twice) changes nothing.
    tickets_after = Ticket.objects.count()
    all_messages_after = Message.objects.count()
    again, again_new = store(raw, source="corpus")
    assert (again.pk, again_new) == (record.pk, False)
    assert process(again).text == outcome.text
    assert (Ticket.objects.count(), Message.objects.count()) == (tickets_after, all_messages_after)
    assert InboundEmail.objects.count() == 1


def test_storing_never_raises_for_any_message(world, ticket):
    for name in FILES:
        raw = raw_message(name, ticket)
        record, _new = store(raw, source="corpus")
        assert bytes(record.raw) == raw
    assert InboundEmail.objects.count() == len(FILES)
