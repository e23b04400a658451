"""Tampering with any row behind the actions' back is named by `verify-history`: messages,
notes, authors, files, the ticket's fields and the history itself."""

from __future__ import annotations

import importlib
import io
from dataclasses import dataclass

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection

from atiende.tickets import actions, ledger
from atiende.tickets.attachments import Upload
from atiende.tickets.models import (
    Attachment,
    Channel,
    HistoryEvent,
    Message,
    MessageKind,
    Priority,
    Queue,
    Ticket,
)
from tests.factories import open_ticket


@dataclass
class Story:
    ticket: Ticket
    request: Message
    reply: Message
    note: Message
    file: Attachment


@pytest.fixture
def story(world) -> Story:
    """A ticket worked the usual way: files, a reply, a note, a change, a merge, a split."""
    ticket = open_ticket(world.luis, world.soporte, attachments=[Upload("error.txt", b"codigo 0x80070005")])
    actions.take_ticket(world.agente.user, ticket)
    actions.change_ticket(world.agente.user, ticket, priority=Priority.objects.get(covey=1), tags=["piso 2"])
    reply = actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Revisamos los permisos.")
    note = actions.add_note(world.agente.user, ticket, text="Parece el controlador.")
    actions.attach_files(world.agente.user, note, channel=Channel.WEB, files=[Upload("log.txt", b"log")])
    duplicate = open_ticket(world.ana, world.soporte, subject="Impresora piso 2")
    actions.merge_tickets(world.agente.user, duplicate, ticket)
    other = actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Y el escáner tampoco.")
    actions.split_message(world.agente.user, other, subject="Escáner")
    request = Message.objects.filter(ticket=ticket).order_by("created_at", "id").first()
    assert request is not None
    return Story(ticket, request, reply, note, Attachment.objects.get(filename="error.txt"))


def breaks(ticket: Ticket) -> list[str]:
    return [str(found) for found in ledger.verify(ticket)]


def verify_command(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_history", *args, stdout=out)
    except SystemExit as exited:
        return int(exited.code or 0), out.getvalue()
    return 0, out.getvalue()


def sealed_at(message: Message) -> int:
    """The last event that sealed the message in its ticket's chain."""
    events = HistoryEvent.objects.filter(ticket_id=message.ticket_id).order_by("-sequence")
    return next(event.sequence for event in events if str(message.pk) in event.seal.get("messages", {}))


def test_a_ticket_worked_through_the_actions_verifies_clean(story, world):
    assert verify_command() == (0, f"{Ticket.objects.count()} tickets checked, 0 breaks\n")


def test_an_edited_reply_is_named_with_its_event_and_author(story):
    Message.objects.filter(pk=story.reply.pk).update(body_text="Nunca revisamos nada.")

    code, out = verify_command("--ticket", str(story.ticket.number))

    assert code == 1
    assert (
        f"#{story.ticket.number} event {sealed_at(story.reply)}: "
        f"message {story.reply.pk} (reply by agente@atiende.test) text changed"
    ) in out


def test_an_edited_internal_note_is_named(story):
    Message.objects.filter(pk=story.note.pk).update(body_html="<p>otra cosa</p>")

    assert breaks(story.ticket) == [
        f"#{story.ticket.number} event {sealed_at(story.note)}: "
        f"message {story.note.pk} (note by agente@atiende.test) formatted text changed"
    ]


def test_a_reply_given_to_another_author_is_named(story, world):
    Message.objects.filter(pk=story.reply.pk).update(author=world.otro.user)

    assert breaks(story.ticket) == [
        f"#{story.ticket.number} event {sealed_at(story.reply)}: message {story.reply.pk} "
        "(reply by agente@atiende.test) author changed "
        "(sealed as agente@atiende.test, now otro@atiende.test)"
    ]


def test_a_note_turned_public_is_named(story):
    Message.objects.filter(pk=story.note.pk).update(kind=MessageKind.PUBLIC)

    assert any("kind changed (sealed as note, now public)" in found for found in breaks(story.ticket))


def test_a_backdated_reply_is_named(story):
    Message.objects.filter(pk=story.reply.pk).update(created_at=story.request.created_at)

    assert any(f"message {story.reply.pk}" in f and "time changed" in f for f in breaks(story.ticket))


def test_a_deleted_reply_is_named(story):
    with connection.cursor() as cursor:  # a row removed in the database, files and all
        cursor.execute(f"DELETE FROM {Attachment._meta.db_table} WHERE message_id = %s", [story.reply.pk])  # noqa: S608
        cursor.execute(f"DELETE FROM {Message._meta.db_table} WHERE id = %s", [story.reply.pk])  # noqa: S608

    assert breaks(story.ticket) == [
        f"#{story.ticket.number}: message {story.reply.pk} (reply by agente@atiende.test) "
        f"sealed at event {sealed_at_sequence(story.ticket, story.reply.pk)} was deleted"
    ]


def sealed_at_sequence(ticket: Ticket, pk: int) -> int:
    events = HistoryEvent.objects.filter(ticket=ticket).order_by("-sequence")
    return next(event.sequence for event in events if str(pk) in event.seal.get("messages", {}))


def test_a_reply_slipped_into_the_thread_is_named(story, world):
    forged = Message.objects.create(
        ticket=story.ticket, kind=MessageKind.PUBLIC, author=world.agente.user, channel=Channel.EMAIL
    )

    assert breaks(story.ticket) == [
        f"#{story.ticket.number}: message {forged.pk} (reply by agente@atiende.test) is not in the history"
    ]


def test_a_reply_moved_to_another_ticket_is_named_on_both(story, world):
    elsewhere = open_ticket(world.luis, world.soporte, subject="Otra")
    Message.objects.filter(pk=story.reply.pk).update(ticket=elsewhere)

    assert any(f"was moved to #{elsewhere.number} with no record" in f for f in breaks(story.ticket))
    assert any(f"message {story.reply.pk}" in f and "not in the history" in f for f in breaks(elsewhere))


def test_a_deleted_attachment_is_named(story):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Attachment._meta.db_table} WHERE id = %s", [story.file.pk])  # noqa: S608

    assert breaks(story.ticket) == [
        f"#{story.ticket.number} event {sealed_at(story.request)}: message {story.request.pk} "
        f"(reply by luis@acme.test) file {story.file.pk} (error.txt) was deleted"
    ]


def test_a_swapped_attachment_is_named(story):
    Attachment.objects.filter(pk=story.file.pk).update(sha256="0" * 64)

    assert [found.problem for found in ledger.verify(story.ticket)] == [
        f"message {story.request.pk} (reply by luis@acme.test) file {story.file.pk} (error.txt) "
        "content changed (SHA-256)"
    ]


def test_a_renamed_attachment_is_named(story):
    Attachment.objects.filter(pk=story.file.pk).update(filename="error.exe")

    assert any("was renamed from error.txt to error.exe" in found for found in breaks(story.ticket))


def test_a_file_added_to_a_note_later_is_sealed_and_its_deletion_named(story):
    added = Attachment.objects.get(filename="log.txt")
    Attachment.objects.filter(pk=added.pk).delete()

    assert any(f"file {added.pk} (log.txt) was deleted" in found for found in breaks(story.ticket))


@pytest.mark.parametrize(
    ("field", "label"),
    [("subject", "subject"), ("requester", "requester"), ("organization", "company"), ("queue", "queue")],
)
def test_a_field_changed_without_an_event_is_named(story, world, field, label):
    values = {
        "subject": "Pedido de computador nuevo",
        "requester": world.ana,
        "organization": world.globex,
        "queue": Queue.objects.exclude(pk=story.ticket.queue_id).first(),
    }
    Ticket.objects.filter(pk=story.ticket.pk).update(**{field: values[field]})

    found = breaks(story.ticket)

    assert len(found) == 1
    assert found[0].startswith(f"#{story.ticket.number}: {label} is ")
    assert "but the history last set it to" in found[0]


def test_a_subject_changed_without_an_event_reads_as_both_values(story):
    Ticket.objects.filter(pk=story.ticket.pk).update(subject="Otra cosa")

    assert breaks(story.ticket) == [
        f"#{story.ticket.number}: subject is 'Otra cosa' but the history last set it to "
        "'La impresora no imprime' (event 1)"
    ]


def test_a_priority_set_by_the_history_then_changed_in_the_database_is_named(story):
    Ticket.objects.filter(pk=story.ticket.pk).update(priority=Priority.objects.get(covey=3))

    assert any(
        "priority is" in found and "but the history last set it to" in found for found in breaks(story.ticket)
    )


def test_tags_changed_without_an_event_are_named(story):
    story.ticket.tags.clear()

    assert any("tags is '' but the history last set it to 'piso 2'" in f for f in breaks(story.ticket))


def test_a_field_changed_through_the_actions_verifies_clean(story, world):
    actions.change_ticket(world.agente.user, story.ticket, subject="Impresora y escáner")

    assert breaks(story.ticket) == []


def test_a_deleted_history_event_is_named(story):
    gone = HistoryEvent.objects.filter(ticket=story.ticket).order_by("sequence")[2]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {HistoryEvent._meta.db_table} WHERE id = %s", [gone.pk])  # noqa: S608

    found = breaks(story.ticket)

    assert (
        f"#{story.ticket.number} event {gone.sequence + 1}: expected event {gone.sequence} (one is missing)"
        in found
    )


def test_the_last_event_cut_off_leaves_what_it_sealed_unsealed(story, world):
    reply = actions.add_reply(world.luis.user, story.ticket, channel=Channel.WEB, text="¿Novedades?")
    last = HistoryEvent.objects.filter(ticket=story.ticket).order_by("-sequence").first()
    assert last is not None
    with connection.cursor() as cursor:  # a shorter chain is still a chain...
        cursor.execute(f"DELETE FROM {HistoryEvent._meta.db_table} WHERE id = %s", [last.pk])  # noqa: S608

    assert breaks(story.ticket) == [  # ...but the reply it sealed is now unaccounted for
        f"#{story.ticket.number}: message {reply.pk} (reply by luis@acme.test) is not in the history"
    ]


def test_reordered_history_events_are_named(story):
    first, second = HistoryEvent.objects.filter(ticket=story.ticket).order_by("sequence")[3:5]
    HistoryEvent.objects.filter(pk=first.pk).update(sequence=-1)
    HistoryEvent.objects.filter(pk=second.pk).update(sequence=first.sequence)
    HistoryEvent.objects.filter(pk=first.pk).update(sequence=second.sequence)

    found = breaks(story.ticket)

    assert f"#{story.ticket.number} event {first.sequence}: does not follow the event before it" in found
    assert any("its content was changed" in f for f in found)


def test_a_rewritten_seal_is_named(story):
    event = HistoryEvent.objects.filter(ticket=story.ticket, action="noted").get()
    seal = event.seal
    seal["messages"][str(story.note.pk)]["text"] = "0" * 64
    HistoryEvent.objects.filter(pk=event.pk).update(seal=seal)

    assert f"#{story.ticket.number} event {event.sequence}: its content was changed" in breaks(story.ticket)


def test_merged_and_split_tickets_verify_clean_and_the_duplicate_lets_its_messages_go(story, world):
    duplicate = Ticket.objects.get(subject="Impresora piso 2")
    split = Ticket.objects.get(subject="Escáner")

    assert breaks(duplicate) == []
    assert breaks(split) == []
    assert not Message.objects.filter(ticket=duplicate, kind=MessageKind.PUBLIC).exists()


def test_a_delivery_failure_event_is_sealed(story):
    event = actions.record_delivery_failure(story.ticket, recipients=["luis@acme.test"], diagnostic="550")
    assert breaks(story.ticket) == []

    Message.objects.filter(pk=event.pk).update(body_text="Todo bien.")

    assert any(
        f"message {event.pk} (system event by the system) text changed" in f for f in breaks(story.ticket)
    )


def test_accepting_a_held_message_is_a_chain_event(story, world):
    held = actions.add_reply(world.luis.user, story.ticket, channel=Channel.EMAIL, text="¿Me oyen?")
    Message.objects.filter(pk=held.pk).update(sender_check="accepted")
    assert any("sender verification changed" in f for f in breaks(story.ticket))

    held.refresh_from_db()
    ledger.accept_message(story.ticket, held, actor=world.agente.user, channel=Channel.WEB)

    assert breaks(story.ticket) == []


def test_history_from_before_seals_is_closed_by_the_migration_and_then_guarded(world):
    """Tickets of an installation upgraded to sealed history: migration 0014 appends one
    'sealed' event with their fields and messages as they are, and verify guards them."""
    ticket = open_ticket(world.luis, world.soporte, attachments=[Upload("error.txt", b"x")])
    reply = actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Listo.")
    HistoryEvent.objects.filter(ticket=ticket).update(seal={})  # as 0010 left them
    ledger.rechain(ticket)
    assert any("no event of the history sealed the subject" in f for f in breaks(ticket))

    migration = importlib.import_module("atiende.tickets.migrations.0014_history_seals")
    migration.seal_existing_tickets(django_apps, None)

    assert HistoryEvent.objects.filter(ticket=ticket).order_by("sequence").last().action == "sealed"  # type: ignore[union-attr]
    assert breaks(ticket) == []
    Message.objects.filter(pk=reply.pk).update(body_text="Nada que hacer.")
    assert any(f"message {reply.pk} (reply by agente@atiende.test) text changed" in f for f in breaks(ticket))
