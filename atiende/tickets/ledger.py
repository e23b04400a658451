"""A ticket's history as a tamper-evident record.

Every history event carries its position in the ticket's chain (`sequence`), the hash of
the event before it and its own hash over what it says, including its *seal*: the values
of the ticket's fields it set and the digests of the messages (text, author, kind, time,
sender check, files) it wrote or moved. The opening event seals every field as filed and
the first message; each later message, file, field change, merge and split seals what it
changed. `verify` replays the seals and compares them with the rows: a message edited,
re-attributed, deleted or slipped in, a file swapped, a subject or requester changed
without an event, a history event changed, removed or reordered, each is named.

Receipts, which tie what a contact saw to the chain's head, live in `receipts.py`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from django.db.models import Model
from django.utils import timezone

from atiende.accounts.models import Agent, Contact, Location, Organization, User
from atiende.satisfaction.models import Rating
from atiende.tickets.models import (
    Attachment,
    Category,
    Contract,
    HistoryEvent,
    Message,
    MessageKind,
    Priority,
    Queue,
    Service,
    Status,
    Ticket,
    TicketType,
)

GENESIS = "0" * 64

# The ticket's fields the chain keeps: foreign keys by id, the rest as text.
FIELD_MODELS: Final[dict[str, type[Model]]] = {
    "organization": Organization,
    "requester": Contact,
    "queue": Queue,
    "status": Status,
    "priority": Priority,
    "type": TicketType,
    "category": Category,
    "location": Location,
    "service": Service,
    "contract": Contract,
    "assignee": Agent,
}
SEALED_FIELDS: Final = ("subject", *FIELD_MODELS, "tags", "cc")
FIELD_NAMES: Final = {"organization": "company", "cc": "copied addresses"}
KIND_NAMES: Final[dict[str, str]] = {
    MessageKind.PUBLIC: "reply",
    MessageKind.NOTE: "note",
    MessageKind.EVENT: "system event",
}
MESSAGE_ACTIONS: Final[dict[str, str]] = {
    MessageKind.PUBLIC: "replied",
    MessageKind.NOTE: "noted",
    MessageKind.EVENT: "event",
}


class _Unsealed:
    def __repr__(self) -> str:
        return "UNSEALED"


UNSEALED: Final = _Unsealed()


# --- what is sealed ------------------------------------------------------------------------


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def utc_iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def canonical(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def content_digest(message: Message) -> str:
    """The SHA-256 of a message as filed: its text and its files' SHA-256 (receipts of the
    first format and the opening event's `content_sha256`)."""
    return _content_digest(message.body_text, message.attachments.all())


def _content_digest(text: str, files: Iterable[Attachment]) -> str:
    return digest(canonical({"text": text, "files": sorted(file.sha256 for file in files)}))


def message_seal(message: Message, files: Iterable[Attachment]) -> dict[str, Any]:
    """Everything about a message that nobody may change afterwards, as digests."""
    return {
        "kind": message.kind,
        "author": message.author_id,
        "channel": message.channel,
        "check": message.sender_check,
        "at": utc_iso(message.created_at),
        "text": digest(message.body_text),
        "html": digest(message.body_html),
        "files": {str(file.pk): [file.sha256, file.filename] for file in files},
    }


def field_value(value: object) -> str | int | None:
    """How the chain keeps a field's value: a row by its id, anything else as text."""
    if value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Model):
        return int(value.pk)
    return str(value)


def ticket_fields(ticket: Ticket, *, tags: Iterable[str], cc: Iterable[str]) -> dict[str, str | int | None]:
    fields: dict[str, str | int | None] = {"subject": ticket.subject}
    fields.update({name: getattr(ticket, f"{name}_id") for name in FIELD_MODELS})
    fields["tags"] = ", ".join(sorted(tags))
    fields["cc"] = ", ".join(sorted(cc))
    return fields


def current_fields(ticket: Ticket) -> dict[str, str | int | None]:
    return ticket_fields(
        ticket,
        tags=ticket.tags.values_list("name", flat=True),
        cc=ticket.cc.values_list("email", flat=True),
    )


# --- the chain -----------------------------------------------------------------------------


def event_hash(event: HistoryEvent, number: int) -> str:
    parts: list[Any] = [
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
        utc_iso(event.created_at),
    ]
    if event.seal:  # events written before seals existed keep their hash
        parts.append(event.seal)
    return digest(json.dumps(parts, ensure_ascii=False, sort_keys=True))


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
    value: object = UNSEALED,
    seal: dict[str, Any] | None = None,
    first: bool = False,
) -> HistoryEvent:
    """Add an event at the end of the ticket's chain (two queries; one for the `first` event
    of a ticket just created). A field change passes the new `value` (the row or text the
    field now holds) so the chain seals it. The caller holds the ticket's lock (every
    action does) or has just created the ticket."""
    seal = dict(seal or {})
    if not isinstance(value, _Unsealed) and field in SEALED_FIELDS:
        seal["fields"] = {**seal.get("fields", {}), field: field_value(value)}
    last = (
        None
        if first
        else HistoryEvent.objects.filter(ticket=ticket)
        .order_by("-sequence")
        .values("sequence", "hash")
        .first()
    )
    event = HistoryEvent(
        ticket=ticket,
        actor=actor,
        channel=channel,
        action=action,
        field=field,
        old_value=old_value,
        new_value=new_value,
        content_sha256=content_sha256,
        seal=seal,
        created_at=timezone.now(),
        sequence=(last["sequence"] + 1) if last else 1,
        prev_hash=last["hash"] if last else GENESIS,
    )
    event.hash = event_hash(event, ticket.number)
    event.save(force_insert=True)
    return event


def seal_message(
    ticket: Ticket,
    message: Message,
    *,
    actor: User | None,
    channel: str,
    action: str = "",
    new_value: str = "",
    released: Sequence[int] = (),
    files: Sequence[Attachment] | None = None,
) -> HistoryEvent:
    """Seal a message as it now is (text, author, kind, time, sender check, files) in the
    ticket's chain. Call it after the action's last write to the message; call it again
    whenever an action changes the message (files added, a held message accepted). The
    action defaults to the message's kind (replied, noted, event); `released` names
    messages that leave this ticket in the same step (a split). An action that has just
    stored the message passes its `files`, saving a query."""
    stored = message.attachments.all() if files is None else files
    seal: dict[str, Any] = {"messages": {str(message.pk): message_seal(message, stored)}}
    if released:
        seal["released"] = sorted(released)
    return append(
        ticket,
        actor=actor,
        channel=channel,
        action=action or MESSAGE_ACTIONS.get(message.kind, "event"),
        new_value=new_value,
        seal=seal,
    )


def accept_message(ticket: Ticket, message: Message, *, actor: User, channel: str) -> HistoryEvent:
    """A held message was accepted by an engineer: its new sender check is sealed."""
    return seal_message(ticket, message, actor=actor, channel=channel, action="accepted")


def record_opening(
    ticket: Ticket,
    message: Message,
    *,
    actor: User,
    channel: str,
    files: Sequence[Attachment] | None = None,
) -> HistoryEvent:
    """The 'created' event, first in the chain of a ticket just created: every field as
    filed and the request's first message (with its `files` when the caller has them)."""
    files = list(message.attachments.all()) if files is None else list(files)
    return append(
        ticket,
        actor=actor,
        channel=channel,
        action="created",
        new_value=ticket.reference,
        content_sha256=_content_digest(message.body_text, files),
        # A new ticket has neither tags nor copied addresses yet.
        seal={
            "fields": ticket_fields(ticket, tags=(), cc=()),
            "messages": {str(message.pk): message_seal(message, files)},
        },
        first=True,
    )


def record_merge(
    duplicate: Ticket, survivor: Ticket, moved: Sequence[Message], *, actor: User, channel: str
) -> None:
    """The duplicate's messages (loaded with their files) now live in the survivor: the
    duplicate's chain lets them go, the survivor's seals them."""
    append(
        duplicate,
        actor=actor,
        channel=channel,
        action="merged",
        new_value=survivor.reference,
        seal={"released": sorted(message.pk for message in moved)},
    )
    append(
        survivor,
        actor=actor,
        channel=channel,
        action="merged",
        old_value=duplicate.reference,
        new_value=survivor.reference,
        seal={
            "messages": {
                str(message.pk): message_seal(message, message.attachments.all()) for message in moved
            }
        },
    )


def rechain(ticket: Ticket) -> None:
    """Rebuild a chain in time order, sealing its messages as they are now. Only for history
    that is written all at once by design (data migrations, the demo's backdated stories),
    never for live tickets."""
    previous = GENESIS
    events = list(HistoryEvent.objects.filter(ticket=ticket).order_by("created_at", "id"))
    sealed = {int(key) for event in events for key in as_dict(event.seal.get("messages"))}
    messages = Message.objects.filter(pk__in=sealed).prefetch_related("attachments")
    seals = {str(message.pk): message_seal(message, message.attachments.all()) for message in messages}
    for sequence, event in enumerate(events, start=1):
        event.sequence, event.prev_hash = sequence, previous
        if "messages" in event.seal:
            event.seal["messages"] = {
                key: seals.get(key, old) for key, old in as_dict(event.seal["messages"]).items()
            }
        event.hash = event_hash(event, ticket.number)
        HistoryEvent.objects.filter(pk=event.pk).update(
            sequence=-event.pk, prev_hash=event.prev_hash, hash=event.hash, seal=event.seal
        )  # negative first: (ticket, sequence) stays unique while renumbering
        previous = event.hash
    for event in events:
        HistoryEvent.objects.filter(pk=event.pk).update(sequence=event.sequence)


def head(ticket: Ticket) -> str:
    last = (
        HistoryEvent.objects.filter(ticket=ticket)
        .order_by("-sequence")
        .values_list("hash", flat=True)
        .first()
    )
    return last or GENESIS


# --- verifying -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    number: int
    sequence: int | None  # the event that sealed what no longer matches; None: the ticket
    problem: str

    def __str__(self) -> str:
        where = f" event {self.sequence}" if self.sequence is not None else ""
        return f"#{self.number}{where}: {self.problem}"


@dataclass
class Sealed:
    """What a chain says, replayed up to some event."""

    fields: dict[str, tuple[int, Any]] = field(default_factory=dict)  # name → (sequence, value)
    messages: dict[int, tuple[int, dict[str, Any]]] = field(default_factory=dict)  # id → (sequence, seal)
    rating: tuple[int, dict[str, Any]] | None = None  # (sequence, the requester's last rating)


def as_dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def replay(events: Iterable[HistoryEvent]) -> Sealed:
    state = Sealed()
    for event in events:
        seal = as_dict(event.seal)
        for name, value in as_dict(seal.get("fields")).items():
            state.fields[name] = (event.sequence, value)
        for key, message in as_dict(seal.get("messages")).items():
            if key.isdigit():
                state.messages[int(key)] = (event.sequence, as_dict(message))
        if "rating" in seal:
            state.rating = (event.sequence, as_dict(seal["rating"]))
        released = seal.get("released")
        for key in released if isinstance(released, list) else []:
            if isinstance(key, int):
                state.messages.pop(key, None)
    return state


def verify(ticket: Ticket) -> list[Break]:
    """Every break in the ticket's chain, and every field, message or file that no longer
    matches what the chain last sealed."""
    events = list(HistoryEvent.objects.filter(ticket=ticket).order_by("sequence"))
    if not events:
        return [Break(ticket.number, 0, "the ticket has no history")]
    breaks: list[Break] = []
    previous = GENESIS
    for expected, event in enumerate(events, start=1):
        if event.sequence != expected:
            breaks.append(Break(ticket.number, event.sequence, f"expected event {expected} (one is missing)"))
        if event.prev_hash != previous:
            breaks.append(Break(ticket.number, event.sequence, "does not follow the event before it"))
        if event.hash != event_hash(event, ticket.number):
            breaks.append(Break(ticket.number, event.sequence, "its content was changed"))
        previous = event.hash
    state = replay(events)
    breaks += _field_breaks(ticket, state)
    breaks += _message_breaks(ticket, state)
    breaks += _rating_breaks(ticket, state)
    return breaks


def _rating_breaks(ticket: Ticket, state: Sealed) -> list[Break]:
    """The requester's rating must say what the history last sealed (face and comment)."""
    rating = Rating.objects.filter(ticket=ticket).first()
    row = {"score": rating.score, "comment": rating.comment} if rating is not None else None
    if state.rating is None:
        return (
            [] if row is None else [Break(ticket.number, None, "no event of the history sealed the rating")]
        )
    sequence, sealed = state.rating
    if row is None:
        return [Break(ticket.number, sequence, "the rating it sealed is missing")]
    differences = [name for name in ("score", "comment") if sealed.get(name) != row[name]]
    if differences:
        return [
            Break(
                ticket.number,
                sequence,
                f"the rating's {' and '.join(differences)} changed since it was sealed",
            )
        ]
    return []


def _field_breaks(ticket: Ticket, state: Sealed) -> list[Break]:
    ticket = Ticket.objects.get(pk=ticket.pk)  # the row as stored, not the caller's copy
    breaks = []
    for name, now in current_fields(ticket).items():
        label = FIELD_NAMES.get(name, name)
        if name not in state.fields:
            breaks.append(Break(ticket.number, None, f"no event of the history sealed the {label}"))
            continue
        sequence, sealed = state.fields[name]
        if sealed != now:
            breaks.append(
                Break(
                    ticket.number,
                    None,
                    f"{label} is {show_field(name, now)} but the history last set it to "
                    f"{show_field(name, sealed)} (event {sequence})",
                )
            )
    return breaks


def show_field(name: str, value: object) -> str:
    """A field's value as people read it: a row by its name (or id, if it is gone)."""
    model = FIELD_MODELS.get(name)
    if value is None:
        return "empty"
    if model is None or not isinstance(value, int):
        return repr(value)
    row = model._default_manager.filter(pk=value).first()
    return repr(str(row)) if row is not None else f"{name} id {value} (no longer exists)"


def _message_breaks(ticket: Ticket, state: Sealed) -> list[Break]:
    number = ticket.number
    rows = {
        message.pk: message
        for message in Message.objects.filter(ticket=ticket).prefetch_related("attachments")
    }
    breaks: list[Break] = []
    gone: dict[int, tuple[int, dict[str, Any]]] = {}
    for pk, (sequence, sealed) in sorted(state.messages.items()):
        message = rows.get(pk)
        if message is None:
            gone[pk] = (sequence, sealed)
            continue
        for problem in _message_differences(sealed, message, ticket):
            breaks.append(Break(number, sequence, f"message {pk} ({_describe(sealed)}) {problem}"))
    if gone:
        elsewhere = dict(Message.objects.filter(pk__in=gone).values_list("pk", "ticket__number"))
        for pk, (sequence, sealed) in gone.items():
            what = f"message {pk} ({_describe(sealed)}) sealed at event {sequence}"
            if pk in elsewhere:
                breaks.append(Break(number, None, f"{what} was moved to #{elsewhere[pk]} with no record"))
            else:
                breaks.append(Break(number, None, f"{what} was deleted"))
    for pk, message in rows.items():
        if pk not in state.messages:
            sealed = message_seal(message, message.attachments.all())
            breaks.append(Break(number, None, f"message {pk} ({_describe(sealed)}) is not in the history"))
    strays = Attachment.objects.filter(ticket=ticket).exclude(message__ticket=ticket)
    for pk, name in strays.values_list("pk", "filename"):
        breaks.append(Break(number, None, f"file {pk} ({name}) belongs to a message of another ticket"))
    return breaks


def _message_differences(sealed: dict[str, Any], message: Message, ticket: Ticket) -> list[str]:
    files = list(message.attachments.all())
    now = message_seal(message, files)
    problems = []
    if now["kind"] != sealed.get("kind"):
        problems.append(f"kind changed (sealed as {sealed.get('kind')}, now {now['kind']})")
    if now["author"] != sealed.get("author"):
        problems.append(
            f"author changed (sealed as {_person(sealed.get('author'))}, now {_person(now['author'])})"
        )
    if now["text"] != sealed.get("text"):
        problems.append("text changed")
    if now["html"] != sealed.get("html"):
        problems.append("formatted text changed")
    if now["at"] != sealed.get("at"):
        problems.append(f"time changed (sealed as {sealed.get('at')}, now {now['at']})")
    if now["channel"] != sealed.get("channel"):
        problems.append(f"channel changed (sealed as {sealed.get('channel')}, now {now['channel']})")
    if now["check"] != sealed.get("check"):
        problems.append(
            f"sender verification changed (sealed as {sealed.get('check')!r}, now {now['check']!r})"
        )
    sealed_files = as_dict(sealed.get("files"))
    for key, (sha256, name) in now["files"].items():
        if key not in sealed_files:
            problems.append(f"has file {key} ({name}) that is not in the history")
            continue
        old = sealed_files[key]
        old_sha, old_name = [*old, "", ""][:2] if isinstance(old, list) else ("", "")
        if sha256 != old_sha:
            problems.append(f"file {key} ({old_name}) content changed (SHA-256)")
        if name != old_name:
            problems.append(f"file {key} was renamed from {old_name} to {name}")
    for key, old in sealed_files.items():
        if key not in now["files"]:
            name = old[1] if isinstance(old, list) and len(old) > 1 else "?"
            problems.append(f"file {key} ({name}) was deleted")
    for file in files:
        if file.ticket_id != ticket.pk:
            problems.append(f"file {file.pk} ({file.filename}) is filed under another ticket")
    return problems


def _describe(sealed: dict[str, Any]) -> str:
    kind = KIND_NAMES.get(str(sealed.get("kind")), str(sealed.get("kind")))
    return f"{kind} by {_person(sealed.get('author'))}"


def _person(user_id: object) -> str:
    if not isinstance(user_id, int):
        return "the system"
    email = User.objects.filter(pk=user_id).values_list("email", flat=True).first()
    return email or f"user {user_id}"
