"""A ticket's history as a tamper-evident record.

Every history event carries its position in the ticket's chain (`sequence`), the hash of
the event before it and its own hash over what it says; the event that opens a ticket also
carries the digest of the request as filed (text and files' SHA-256). Changing, removing or
reordering anything breaks the chain at that point, which `verify` reports. A receipt gives
the contact the ticket's number, creation time, original text, files' SHA-256 and the hash
of the chain's head at that moment; `check_receipt` tells later whether the system still
holds exactly that.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from atiende.accounts.models import User
from atiende.tickets.models import HistoryEvent, LinkKind, Message, MessageKind, Ticket, TicketLink

GENESIS = "0" * 64
RECEIPT_FORMAT = "atiende-receipt-1"


def content_digest(message: Message) -> str:
    """The SHA-256 of a message as filed: its text and its files' SHA-256."""
    files = sorted(message.attachments.values_list("sha256", flat=True))
    payload = json.dumps({"text": message.body_text, "files": files}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def event_hash(event: HistoryEvent, number: int) -> str:
    payload = json.dumps(
        [
            number,
            event.sequence,
            event.prev_hash,
            event.actor_id,
            event.channel,
            event.action,
            event.field,
            event.old_value,
            event.new_value,
            event.content_sha256,
            event.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def append(
    ticket: Ticket,
    *,
    actor: User | None,
    channel: str,
    action: str,
    field: str = "",
    old_value: str = "",
    new_value: str = "",
    content_sha256: str = "",
) -> HistoryEvent:
    """Add an event at the end of the ticket's chain. The caller holds the ticket's lock
    (every action does) or has just created the ticket."""
    last = HistoryEvent.objects.filter(ticket=ticket).order_by("-sequence").values("sequence", "hash").first()
    event = HistoryEvent(
        ticket=ticket,
        actor=actor,
        channel=channel,
        action=action,
        field=field,
        old_value=old_value,
        new_value=new_value,
        content_sha256=content_sha256,
        created_at=timezone.now(),
        sequence=(last["sequence"] + 1) if last else 1,
        prev_hash=last["hash"] if last else GENESIS,
    )
    event.hash = event_hash(event, ticket.number)
    event.save(force_insert=True)
    return event


def rechain(ticket: Ticket) -> None:
    """Rebuild a chain in time order. Only for history that is written all at once by
    design (data migrations, the demo's backdated stories), never for live tickets."""
    previous = GENESIS
    events = list(HistoryEvent.objects.filter(ticket=ticket).order_by("created_at", "id"))
    for sequence, event in enumerate(events, start=1):
        event.sequence, event.prev_hash = sequence, previous
        event.hash = event_hash(event, ticket.number)
        HistoryEvent.objects.filter(pk=event.pk).update(
            sequence=-event.pk, prev_hash=event.prev_hash, hash=event.hash
        )  # negative first: (ticket, sequence) stays unique while renumbering
        previous = event.hash
    for event in events:
        HistoryEvent.objects.filter(pk=event.pk).update(sequence=event.sequence)


@dataclass(frozen=True)
class Break:
    number: int
    sequence: int
    problem: str

    def __str__(self) -> str:
        return f"#{self.number} event {self.sequence}: {self.problem}"


def verify(ticket: Ticket) -> list[Break]:
    """Every break in the ticket's chain, and whether the request as filed is intact."""
    breaks: list[Break] = []
    previous = GENESIS
    opening = ""
    events = HistoryEvent.objects.filter(ticket=ticket).order_by("sequence")
    for expected, event in enumerate(events, start=1):
        if event.sequence != expected:
            breaks.append(Break(ticket.number, event.sequence, f"expected event {expected} (one is missing)"))
        if event.prev_hash != previous:
            breaks.append(Break(ticket.number, event.sequence, "does not follow the event before it"))
        if event.hash != event_hash(event, ticket.number):
            breaks.append(Break(ticket.number, event.sequence, "its content was changed"))
        if event.action == "created" and event.content_sha256 and not opening:
            opening = event.content_sha256
        previous = event.hash
    if not events.exists():
        breaks.append(Break(ticket.number, 0, "the ticket has no history"))
    elif opening and opening_message(ticket, opening) is None:
        breaks.append(Break(ticket.number, 1, "the request as filed (text or files) was changed"))
    return breaks


def opening_message(ticket: Ticket, digest: str) -> Message | None:
    """The message whose content the opening event sealed (it may have moved in a merge)."""
    # A merged duplicate's messages live on in the ticket it was merged into.
    survivors = TicketLink.objects.filter(source=ticket, kind=LinkKind.DUPLICATE).values_list(
        "target", flat=True
    )
    for holder in (Q(ticket=ticket), Q(ticket__in=list(survivors))):
        candidates = Message.objects.filter(holder, kind=MessageKind.PUBLIC).order_by("created_at", "id")
        found = next((message for message in candidates[:200] if content_digest(message) == digest), None)
        if found is not None:
            return found
    return None


def head(ticket: Ticket) -> str:
    last = (
        HistoryEvent.objects.filter(ticket=ticket)
        .order_by("-sequence")
        .values_list("hash", flat=True)
        .first()
    )
    return last or GENESIS


def receipt(ticket: Ticket) -> dict[str, Any]:
    """What the contact keeps: enough to prove later what was filed and when."""
    created = HistoryEvent.objects.filter(ticket=ticket, action="created").order_by("sequence").first()
    message = opening_message(ticket, created.content_sha256) if created and created.content_sha256 else None
    return {
        "format": RECEIPT_FORMAT,
        "ticket": ticket.number,
        "subject": ticket.subject,
        "organization": ticket.organization.name,
        "created_at": ticket.created_at.astimezone(datetime.UTC).isoformat(),
        "original_text": message.body_text if message else "",
        "attachments": [
            {"name": file.filename, "sha256": file.sha256}
            for file in (message.attachments.all() if message else [])
        ],
        "content_sha256": created.content_sha256 if created else "",
        "opening_event_hash": created.hash if created else "",
        "chain_head": head(ticket),
        "issued_at": timezone.now().astimezone(datetime.UTC).isoformat(),
    }


def check_receipt(data: dict[str, Any]) -> list[str]:
    """Whether the system still holds what a receipt says; an empty list means it does."""
    if data.get("format") != RECEIPT_FORMAT:
        return ["this is not an Atiende receipt"]
    number = data.get("ticket")
    ticket = Ticket.objects.filter(number=number).first() if isinstance(number, int) else None
    if ticket is None:
        return [f"ticket #{data.get('ticket')} does not exist"]
    problems = [str(found) for found in verify(ticket)]
    if ticket.created_at.astimezone(datetime.UTC).isoformat() != data.get("created_at"):
        problems.append("the creation time differs")
    files = sorted(item["sha256"] for item in data.get("attachments", []))
    stated = json.dumps(
        {"text": data.get("original_text", ""), "files": files}, ensure_ascii=False, sort_keys=True
    )
    if hashlib.sha256(stated.encode()).hexdigest() != data.get("content_sha256"):
        problems.append("the receipt's text or files do not match its own digest")
    hashes = set(HistoryEvent.objects.filter(ticket=ticket).values_list("hash", flat=True))
    for key in ("opening_event_hash", "chain_head"):
        if data.get(key) not in hashes:
            problems.append(f"the {key.replace('_', ' ')} is not in the ticket's history")
    created = HistoryEvent.objects.filter(ticket=ticket, action="created").order_by("sequence").first()
    if created is None or created.content_sha256 != data.get("content_sha256"):
        problems.append("the request as filed differs from the receipt")
    return problems
