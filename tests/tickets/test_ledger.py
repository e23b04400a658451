"""The tamper-evident record: hash-chained history, `atiende verify-history`, receipts."""

from __future__ import annotations

import io
import itertools
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from atiende.tickets import actions, ledger, receipts
from atiende.tickets.attachments import Upload
from atiende.tickets.models import Channel, HistoryEvent, Message, Priority
from tests.factories import open_ticket


@pytest.fixture
def ticket(world):
    ticket = open_ticket(world.luis, world.soporte, attachments=[Upload("error.txt", b"codigo 0x80070005")])
    actions.take_ticket(world.agente.user, ticket)
    actions.change_ticket(world.agente.user, ticket, priority=Priority.objects.get(covey=1))
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Revisamos los permisos.")
    return ticket


def verify_command(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_history", *args, stdout=out)
    except SystemExit as exited:
        return int(exited.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_every_action_extends_one_unbroken_chain(ticket):
    events = list(HistoryEvent.objects.filter(ticket=ticket).order_by("sequence"))

    assert [event.sequence for event in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == ledger.GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(events))
    assert events[0].action == "created" and events[0].content_sha256
    assert ledger.verify(ticket) == []
    assert verify_command() == (0, "1 tickets checked, 0 breaks\n")


def test_history_cannot_be_changed_or_deleted_through_the_models(ticket):
    event = HistoryEvent.objects.filter(ticket=ticket).first()
    assert event is not None
    event.new_value = "otra cosa"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_a_changed_event_is_reported_with_its_position(ticket):
    changed = HistoryEvent.objects.get(ticket=ticket, field="priority")
    HistoryEvent.objects.filter(pk=changed.pk).update(new_value="Baja")  # behind the model's back

    code, out = verify_command("--ticket", str(ticket.number))

    assert code == 1
    assert f"#{ticket.number} event {changed.sequence}: its content was changed" in out


def test_a_removed_event_is_reported(ticket):
    gone = HistoryEvent.objects.filter(ticket=ticket).order_by("sequence")[1]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {HistoryEvent._meta.db_table} WHERE id = %s", [gone.pk])  # noqa: S608

    breaks = [str(found) for found in ledger.verify(ticket)]

    assert any("one is missing" in found for found in breaks)
    assert any("does not follow the event before it" in found for found in breaks)


def test_editing_the_request_as_filed_is_detected(ticket):
    first = Message.objects.filter(ticket=ticket).order_by("created_at", "id").first()
    assert first is not None
    Message.objects.filter(pk=first.pk).update(body_text="Nunca dije eso.")

    assert [str(found) for found in ledger.verify(ticket)] == [
        f"#{ticket.number} event 1: message {first.pk} (reply by luis@acme.test) text changed"
    ]


def test_the_contact_downloads_a_receipt_that_checks_out_later(ticket, world, client, tmp_path):
    client.force_login(world.luis.user)
    response = client.get(reverse("portal:ticket-receipt", args=[ticket.number]))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="comprobante-ticket-{ticket.number}.json"'
    )
    receipt = json.loads(response.content)
    assert receipt["format"] == "atiende-receipt-2"
    assert receipt["ticket"] == ticket.number
    assert receipt["subject"] == "La impresora no imprime"
    assert receipt["organization"]["name"] == "Acme S.A.S."
    assert receipt["requester"]["name"] == "Luis Acme"
    assert [message["text"] for message in receipt["messages"]] == [
        "Desde esta mañana la impresora del piso 2 no responde.",
        "Revisamos los permisos.",
    ]
    assert [file["name"] for file in receipt["messages"][0]["files"]] == ["error.txt"]
    path = tmp_path / "comprobante.json"
    path.write_text(json.dumps(receipt), encoding="utf-8")

    actions.add_reply(
        world.luis.user, ticket, channel=Channel.WEB, text="Gracias."
    )  # the chain grows: still valid
    assert verify_command("--receipt", str(path))[0] == 0

    first = Message.objects.filter(ticket=ticket).order_by("created_at", "id").first()
    assert first is not None
    Message.objects.filter(pk=first.pk).update(body_text="Texto cambiado.")
    code, out = verify_command("--receipt", str(path))
    assert code == 1 and f"message {first.pk}'s text: is not what the receipt says" in out


def test_a_forged_receipt_does_not_check_out(ticket, world, tmp_path):
    forged = receipts.receipt(ticket)
    forged["messages"][0]["text"] = "Pedí también un computador nuevo."
    path = tmp_path / "falso.json"
    path.write_text(json.dumps(forged), encoding="utf-8")

    code, out = verify_command("--receipt", str(path))

    assert code == 1
    assert f"message {forged['messages'][0]['id']}'s text: differs from what the history sealed" in out


def test_other_companies_cannot_download_the_receipt(ticket, world, client):
    client.force_login(world.carla.user)
    assert client.get(reverse("portal:ticket-receipt", args=[ticket.number])).status_code == 404


def test_merged_and_split_tickets_keep_valid_chains(world):
    first = open_ticket(world.luis, world.soporte)
    second = open_ticket(world.luis, world.soporte, subject="Duplicado")
    actions.merge_tickets(world.agente.user, second, first)
    reply = actions.add_reply(world.luis.user, first, channel=Channel.WEB, text="Otra cosa distinta")
    split = actions.split_message(world.agente.user, reply, subject="Otra cosa")

    for each in (first, second, split):
        assert ledger.verify(each) == [], each.number
