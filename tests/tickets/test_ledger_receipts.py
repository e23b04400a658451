"""Receipts cover the subject, company, requester and public thread as downloaded, and
`verify-history --receipt` names the part that no longer matches."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from atiende.tickets import actions, ledger, receipts
from atiende.tickets.attachments import Upload
from atiende.tickets.models import Attachment, Channel, Message, SenderCheck, Ticket
from tests.factories import open_ticket


@pytest.fixture
def ticket(world):
    ticket = open_ticket(world.luis, world.soporte, attachments=[Upload("error.txt", b"codigo 0x80070005")])
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Revisamos los permisos.")
    actions.add_note(world.agente.user, ticket, text="Nota interna: no va en el comprobante.")
    return ticket


def check(receipt: dict[str, Any], tmp_path: Path) -> tuple[int, str]:
    path = tmp_path / "comprobante.json"
    path.write_text(json.dumps(receipt), encoding="utf-8")
    out = io.StringIO()
    try:
        call_command("verify_history", "--receipt", str(path), stdout=out)
    except SystemExit as exited:
        return int(exited.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_the_receipt_holds_the_public_thread_but_no_internal_note(ticket):
    receipt = receipts.receipt(ticket)

    assert [message["text"] for message in receipt["messages"]] == [
        "Desde esta mañana la impresora del piso 2 no responde.",
        "Revisamos los permisos.",
    ]
    assert receipt["messages"][1]["author"] == "Agente Soporte"


def test_a_held_email_is_not_in_the_receipt(ticket, world):
    actions.add_reply(
        world.luis.user, ticket, channel=Channel.EMAIL, text="¿Quién soy?", sender_check=SenderCheck.HELD
    )

    texts = [message["text"] for message in receipts.receipt(ticket)["messages"]]

    assert "¿Quién soy?" not in texts


def test_a_subject_changed_in_the_database_is_named(ticket, tmp_path):
    receipt = receipts.receipt(ticket)
    Ticket.objects.filter(pk=ticket.pk).update(subject="Pedido de computador nuevo")

    code, out = check(receipt, tmp_path)

    assert code == 1
    assert (
        "subject: the receipt says 'La impresora no imprime' but the ticket now says "
        "'Pedido de computador nuevo', and no event of the history changed it"
    ) in out


def test_a_subject_changed_through_the_actions_still_matches_and_is_reported(ticket, world, tmp_path):
    receipt = receipts.receipt(ticket)
    actions.change_ticket(world.agente.user, ticket, subject="Impresora del piso 2")

    code, out = check(receipt, tmp_path)

    assert code == 0
    assert f"receipt matches ticket #{ticket.number}" in out
    assert "since the receipt, recorded in the history: subject changed at event" in out


@pytest.mark.parametrize(("field", "label"), [("organization", "company"), ("requester", "requester")])
def test_a_company_or_requester_changed_in_the_database_is_named(ticket, world, tmp_path, field, label):
    receipt = receipts.receipt(ticket)
    Ticket.objects.filter(pk=ticket.pk).update(
        **{field: world.globex if field == "organization" else world.ana}
    )

    code, out = check(receipt, tmp_path)

    assert code == 1
    assert f"  {label}: the receipt says" in out and "no event of the history changed it" in out


def test_a_receipt_with_a_forged_subject_is_named(ticket, tmp_path):
    receipt = receipts.receipt(ticket)
    receipt["subject"] = "Pedido de computador nuevo"

    code, out = check(receipt, tmp_path)

    assert code == 1
    assert "subject: the receipt says 'Pedido de computador nuevo' but the history said" in out


def test_a_message_deleted_after_the_receipt_is_named(ticket, tmp_path):
    receipt = receipts.receipt(ticket)
    reply = receipt["messages"][1]["id"]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Message._meta.db_table} WHERE id = %s", [reply])  # noqa: S608

    code, out = check(receipt, tmp_path)

    assert code == 1
    assert f"message {reply}: was deleted after the receipt" in out
    assert f"history: #{ticket.number}: message {reply} (reply by agente@atiende.test)" in out


def test_a_file_swapped_after_the_receipt_is_named(ticket, tmp_path):
    receipt = receipts.receipt(ticket)
    first = receipt["messages"][0]["id"]
    Attachment.objects.filter(message_id=first).update(sha256="f" * 64)

    code, out = check(receipt, tmp_path)

    assert code == 1
    assert f"message {first}'s file error.txt: is gone or changed" in out


def test_a_receipt_with_a_file_left_out_is_named(ticket, tmp_path):
    receipt = receipts.receipt(ticket)
    receipt["messages"][0]["files"] = []

    code, out = check(receipt, tmp_path)

    assert code == 1
    assert f"message {receipt['messages'][0]['id']}'s files: differ from what the history sealed" in out


def test_a_receipt_with_a_message_left_out_is_named(ticket, tmp_path):
    receipt = receipts.receipt(ticket)
    left_out = receipt["messages"].pop()

    code, out = check(receipt, tmp_path)

    assert code == 1
    assert f"message {left_out['id']}: sealed at event" in out and "missing from the receipt" in out


def test_a_receipt_with_an_unknown_chain_head_is_named(ticket, tmp_path):
    receipt = receipts.receipt(ticket)
    receipt["chain_head"] = "a" * 64

    code, out = check(receipt, tmp_path)

    assert code == 1
    assert "chain head: the receipt's chain head is not in the ticket's history" in out


def test_a_receipt_of_the_first_format_is_still_checked(ticket, tmp_path):
    first = Message.objects.filter(ticket=ticket).order_by("created_at", "id").first()
    assert first is not None
    created = ticket.history.get(action="created")
    old = {
        "format": "atiende-receipt-1",
        "ticket": ticket.number,
        "created_at": ticket.created_at.astimezone(datetime.UTC).isoformat(),
        "original_text": first.body_text,
        "attachments": [{"name": "error.txt", "sha256": first.attachments.get().sha256}],
        "content_sha256": created.content_sha256,
        "opening_event_hash": created.hash,
        "chain_head": ledger.head(ticket),
    }
    assert check(old, tmp_path)[0] == 0

    old["original_text"] = "Otra cosa"
    code, out = check(old, tmp_path)

    assert code == 1 and "do not match its own digest" in out
