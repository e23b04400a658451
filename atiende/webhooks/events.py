"""Which webhook events a ticket change makes, and what they say.

`tickets.effects.after_commit` calls `queue_for` inside the action's transaction, and the
SLA sweep calls `sla_crossing` inside its own: the deliveries are written with the change
or not at all. Nothing is read unless some active subscription wants the event.

The payload (documented in docs/api.md, "Webhooks") is {type, timestamp, data}; `data`
holds `ticket` (always the same shape), and per event `changed`, `message`, `duplicate`
or `sla`. Names are in the installation's language, as the history keeps them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from atiende.accounts.models import Agent, Contact, User
from atiende.sla.models import TicketSla
from atiende.tickets.models import Message, Ticket
from atiende.webhooks.models import EventType
from atiende.webhooks.queue import queue, subscribed_types

if TYPE_CHECKING:
    from atiende.tickets.effects import TicketEvent

# What each kind of ticket event may become. A held message ("held") says nothing until
# an engineer accepts it; files added and time logged are not events of their own.
EVENTS_OF_KIND: dict[str, tuple[str, ...]] = {
    "opened": (EventType.TICKET_CREATED,),
    "replied": (EventType.MESSAGE_CREATED,),
    "noted": (EventType.MESSAGE_CREATED,),
    "accepted": (EventType.MESSAGE_CREATED,),
    "changed": (EventType.TICKET_UPDATED, EventType.TICKET_CLOSED),
    "linked": (EventType.TICKET_UPDATED,),
    "merged": (EventType.TICKET_MERGED, EventType.TICKET_CLOSED),
}


def queue_for(event: TicketEvent) -> None:
    """Queue the webhooks of a ticket change (call inside the change's transaction)."""
    possible = EVENTS_OF_KIND.get(event.kind, ())
    if not possible or not subscribed_types().intersection(possible):
        return
    ticket = load_ticket(event.ticket_id)
    if event.kind == "opened":
        message = _message(event.message_id)
        queue(EventType.TICKET_CREATED, lambda: {"ticket": ticket_data(ticket), "message": message})
    elif event.kind in {"replied", "noted", "accepted"}:
        message = _message(event.message_id)
        queue(EventType.MESSAGE_CREATED, lambda: {"ticket": ticket_data(ticket), "message": message})
    elif event.kind in {"changed", "linked"}:
        changed = list(event.fields) if event.kind == "changed" else ["links"]
        queue(EventType.TICKET_UPDATED, lambda: {"ticket": ticket_data(ticket), "changed": changed})
        if "status" in changed and ticket.is_closed:
            queue(EventType.TICKET_CLOSED, lambda: {"ticket": ticket_data(ticket)})
    elif event.kind == "merged":
        duplicate = _duplicate(event)
        queue(
            EventType.TICKET_MERGED,
            lambda: {
                "ticket": ticket_data(ticket),
                "duplicate": None if duplicate is None else ticket_data(duplicate),
            },
        )
        if duplicate is not None:
            queue(EventType.TICKET_CLOSED, lambda: {"ticket": ticket_data(duplicate)})


def sla_crossing(ticket: Ticket, *, target: str, breached: bool) -> None:
    """`ticket.sla_warning` or `ticket.sla_breached` for one target (`first_response` or
    `resolution`), queued by the sweep in the transaction that claims the crossing."""
    event_type = EventType.SLA_BREACHED if breached else EventType.SLA_WARNING

    def data() -> dict[str, Any]:
        clocks = TicketSla.objects.filter(ticket_id=ticket.pk).values(f"{target}_due_at").first() or {}
        return {
            "ticket": ticket_data(load_ticket(ticket.pk)),
            "sla": {
                "target": target,
                "state": "breached" if breached else "at_risk",
                "due_at": clocks.get(f"{target}_due_at"),
            },
        }

    queue(event_type, data)


def load_ticket(pk: int) -> Ticket:
    return Ticket.objects.select_related(
        "status", "priority", "queue", "organization", "requester__user", "assignee__user"
    ).get(pk=pk)


def ticket_data(ticket: Ticket) -> dict[str, Any]:
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "number": ticket.number,
            "subject": ticket.subject,
            "status": {"kind": ticket.status.kind, "name": ticket.status.name},
            "priority": {"level": ticket.priority.level, "name": ticket.priority.name},
            "queue": {"id": ticket.queue_id, "name": ticket.queue.name},
            "company": {"id": ticket.organization_id, "name": ticket.organization.name},
            "requester": _person(ticket.requester),
            "assignee": _person(ticket.assignee),
            "channel": ticket.channel,
            "created_at": ticket.created_at,
            "closed_at": ticket.closed_at,
            "url": settings.ATIENDE_BASE_URL + reverse("desk:ticket", args=[ticket.number]),
        }


def _person(person: Contact | Agent | User | None) -> dict[str, Any] | None:
    if person is None:
        return None
    user = person if isinstance(person, User) else person.user
    return {"id": user.pk, "name": user.full_name, "email": user.email}


def _message(pk: int | None) -> dict[str, Any] | None:
    if pk is None:
        return None
    message = Message.objects.select_related("author").get(pk=pk)
    return {
        "id": message.pk,
        "kind": message.kind,  # "public" or "note"
        "channel": message.channel,
        "author": _person(message.author),
        "created_at": message.created_at,
        "text": message.body_text,
        "attachments": [
            {
                "filename": attachment.filename,
                "content_type": attachment.content_type,
                "size": attachment.size,
            }
            for attachment in message.attachments.order_by("pk")
        ],
    }


def _duplicate(event: TicketEvent) -> Ticket | None:
    """The ticket merged away: its reference ("#12") is the event's one field."""
    reference = event.fields[0] if event.fields else ""
    number = reference.lstrip("#")
    if not number.isdigit():
        return None
    found = Ticket.objects.filter(number=int(number)).values_list("pk", flat=True).first()
    return None if found is None else load_ticket(found)
