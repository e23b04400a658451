"""Receipts: what a contact keeps to prove later what the system held.

A receipt gives the contact the ticket's subject, company, requester and public thread as
they were when it was downloaded, with the hash of the chain's head at that moment
(`ledger.py`). `check_receipt` replays the history up to that head and tells whether the
system still says exactly that, naming the part that does not.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from atiende.tickets.ledger import (
    FIELD_NAMES,
    GENESIS,
    Sealed,
    as_dict,
    canonical,
    current_fields,
    digest,
    message_seal,
    replay,
    show_field,
    utc_iso,
    verify,
)
from atiende.tickets.models import HistoryEvent, Message, MessageKind, SenderCheck, Ticket

RECEIPT_FORMAT = "atiende-receipt-2"
RECEIPT_FORMAT_V1 = "atiende-receipt-1"  # the opening request only; still checked


def _visible(message: Message) -> bool:
    return message.kind == MessageKind.PUBLIC and message.sender_check != SenderCheck.HELD


def receipt(ticket: Ticket) -> dict[str, Any]:
    """What the contact keeps: the ticket's subject, company, requester and public thread
    as they are now, tied to the chain's head, to prove later what the system held."""
    last = HistoryEvent.objects.filter(ticket=ticket).order_by("-sequence").values("sequence", "hash").first()
    thread = (
        Message.objects.filter(ticket=ticket, kind=MessageKind.PUBLIC)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    requester = ticket.requester
    return {
        "format": RECEIPT_FORMAT,
        "ticket": ticket.number,
        "subject": ticket.subject,
        "organization": {"id": ticket.organization_id, "name": ticket.organization.name},
        "requester": {"id": ticket.requester_id, "name": requester.user.get_full_name()},
        "created_at": ticket.created_at.astimezone(datetime.UTC).isoformat(),
        "messages": [
            {
                "id": message.pk,
                "at": utc_iso(message.created_at),
                "author": message.author.get_full_name() if message.author else "",
                "text": message.body_text,
                "files": [{"name": file.filename, "sha256": file.sha256} for file in files],
                "seal": digest(canonical(message_seal(message, files))),
            }
            for message in thread
            if _visible(message)
            for files in [list(message.attachments.all())]
        ],
        "chain_length": last["sequence"] if last else 0,
        "chain_head": last["hash"] if last else GENESIS,
        "issued_at": timezone.now().astimezone(datetime.UTC).isoformat(),
    }


def check_receipt(data: dict[str, Any]) -> list[str]:
    """Whether the system still holds what a receipt says; an empty list means it does.
    Each problem names the part that differs: subject, company, requester, a message's
    text or files, the chain's head, or a break in the ticket's history."""
    if data.get("format") not in {RECEIPT_FORMAT, RECEIPT_FORMAT_V1}:
        return ["this is not an Atiende receipt"]
    number = data.get("ticket")
    ticket = Ticket.objects.filter(number=number).first() if isinstance(number, int) else None
    if ticket is None:
        return [f"ticket #{data.get('ticket')} does not exist"]
    if data["format"] == RECEIPT_FORMAT_V1:
        problems = _check_receipt_v1(ticket, data)
    else:
        problems = _check_receipt_v2(ticket, data)
    if ticket.created_at.astimezone(datetime.UTC).isoformat() != data.get("created_at"):
        problems.append("creation time: differs from the receipt")
    return problems + [f"history: {found}" for found in verify(ticket)]


def changes_since_receipt(data: dict[str, Any]) -> list[str]:
    """Changes the history records after the receipt was issued (not problems)."""
    number = data.get("ticket")
    ticket = Ticket.objects.filter(number=number).first() if isinstance(number, int) else None
    if ticket is None or data.get("format") != RECEIPT_FORMAT:
        return []
    events = list(HistoryEvent.objects.filter(ticket=ticket).order_by("sequence"))
    then = next((event.sequence for event in events if event.hash == data.get("chain_head")), None)
    if then is None:
        return []
    later = [event for event in events if event.sequence > then]
    notes = []
    for event in later:
        for name in as_dict(event.seal.get("fields")):
            notes.append(f"{FIELD_NAMES.get(name, name)} changed at event {event.sequence}")
        for key in as_dict(event.seal.get("messages")):
            notes.append(f"message {key} sealed at event {event.sequence} ({event.action})")
    return notes


def _receipt_value(data: dict[str, Any], name: str) -> object:
    if name == "subject":
        return data.get("subject")
    return as_dict(data.get(name)).get("id")


def _check_receipt_v2(ticket: Ticket, data: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    events = list(HistoryEvent.objects.filter(ticket=ticket).order_by("sequence"))
    head_event = next((event for event in events if event.hash == data.get("chain_head")), None)
    if head_event is None:
        problems.append("chain head: the receipt's chain head is not in the ticket's history")
        then = replay(events)
    else:
        then = replay(event for event in events if event.sequence <= head_event.sequence)
    final, now = replay(events), current_fields(ticket)
    for name in ("subject", "organization", "requester"):
        label, said = FIELD_NAMES.get(name, name), _receipt_value(data, name)
        sealed = then.fields.get(name, (0, None))[1]
        if said != sealed:
            problems.append(
                f"{label}: the receipt says {show_field(name, said)} but the history said "
                f"{show_field(name, sealed)} when it was issued"
            )
        elif now[name] != said and now[name] != final.fields.get(name, (0, None))[1]:
            problems.append(
                f"{label}: the receipt says {show_field(name, said)} but the ticket now says "
                f"{show_field(name, now[name])}, and no event of the history changed it"
            )
    problems += _receipt_message_problems(data, then)
    return problems


def _receipt_message_problems(data: dict[str, Any], then: Sealed) -> list[str]:
    problems: list[str] = []
    listed = [as_dict(item) for item in data.get("messages", []) if isinstance(item, dict)]
    ids = {item.get("id") for item in listed}
    rows = {
        message.pk: message
        for message in Message.objects.filter(
            pk__in=[pk for pk in ids if isinstance(pk, int)]
        ).prefetch_related("attachments")
    }
    for item in listed:
        pk = item.get("id")
        text = item.get("text", "")
        files = sorted(
            (str(as_dict(file).get("name")), str(as_dict(file).get("sha256")))
            for file in item.get("files", [])
        )
        sealed = then.messages[pk][1] if isinstance(pk, int) and pk in then.messages else None
        if sealed is None:
            problems.append(f"message {pk}: not in the history when the receipt was issued")
        else:
            sealed_files = sorted((str(v[1]), str(v[0])) for v in as_dict(sealed.get("files")).values())
            if sealed.get("text") != digest(str(text)):
                problems.append(f"message {pk}'s text: differs from what the history sealed")
            if sealed_files != files:
                problems.append(f"message {pk}'s files: differ from what the history sealed")
            if digest(canonical(sealed)) != item.get("seal"):
                problems.append(f"message {pk}: its seal differs from the history (author, time or kind)")
        message = rows.get(pk) if isinstance(pk, int) else None
        if message is None:
            problems.append(f"message {pk}: was deleted after the receipt")
            continue
        if message.body_text != text:
            problems.append(f"message {pk}'s text: is not what the receipt says")
        held = sorted((file.filename, file.sha256) for file in message.attachments.all())
        for name, sha256 in sorted(set(files) - set(held)):
            problems.append(f"message {pk}'s file {name}: is gone or changed (SHA-256 {sha256[:12]}…)")
    for pk, (sequence, sealed) in sorted(then.messages.items()):
        shown = sealed.get("kind") == MessageKind.PUBLIC and sealed.get("check") != SenderCheck.HELD
        if shown and pk not in ids:
            problems.append(f"message {pk}: sealed at event {sequence} but missing from the receipt")
    return problems


def _check_receipt_v1(ticket: Ticket, data: dict[str, Any]) -> list[str]:
    """The first format sealed the opening request only."""
    problems = []
    files = sorted(str(as_dict(item).get("sha256")) for item in data.get("attachments", []))
    stated = canonical({"text": data.get("original_text", ""), "files": files})
    if digest(stated) != data.get("content_sha256"):
        problems.append("the receipt's text or files do not match its own digest")
    hashes = set(HistoryEvent.objects.filter(ticket=ticket).values_list("hash", flat=True))
    for key in ("opening_event_hash", "chain_head"):
        if data.get(key) not in hashes:
            problems.append(f"the {key.replace('_', ' ')} is not in the ticket's history")
    created = HistoryEvent.objects.filter(ticket=ticket, action="created").order_by("sequence").first()
    if created is None or created.content_sha256 != data.get("content_sha256"):
        problems.append("the request as filed differs from the receipt")
    return problems
