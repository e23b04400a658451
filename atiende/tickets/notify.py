"""The emails tickets cause, queued in the outbox inside the action's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.urls import reverse

from atiende.accounts.models import NotificationPreference, User
from atiende.outbox.outbox import Recipient, enqueue
from atiende.tickets.models import Message, Status, StatusKind, Ticket


def portal_link(ticket: Ticket) -> str:
    return settings.ATIENDE_BASE_URL + reverse("portal:ticket-detail", args=[ticket.number])


def desk_link(ticket: Ticket) -> str:
    return settings.ATIENDE_BASE_URL + reverse("desk:ticket", args=[ticket.number])


def _recipient(user: User) -> Recipient:
    return Recipient(user.email, user.language or settings.LANGUAGE_CODE)


def ticket_opened(ticket: Ticket) -> None:
    """The requester's confirmation, with the link to follow the ticket in the portal."""
    requester = ticket.requester
    if requester.notifications == NotificationPreference.NONE or not requester.user.is_active:
        return
    enqueue(
        "ticket_opened",
        _recipient(requester.user),
        {
            "ticket": ticket,
            "link": portal_link(ticket),
            "registered_for_them": ticket.created_by_id != requester.user_id,
        },
        dedupe_key=f"ticket-opened:{ticket.pk}",
        ticket_number=ticket.number,
    )


def changed_by_requester(ticket: Ticket, fields: Sequence[str]) -> None:
    """Tell the assigned engineer what the requester corrected (*Modificar*)."""
    if ticket.assignee is None or not ticket.assignee.user.is_active:
        return
    enqueue(
        "ticket_changed_by_requester",
        _recipient(ticket.assignee.user),
        {
            "ticket": ticket,
            "fields": [getattr(Ticket._meta.get_field(name), "verbose_name", name) for name in fields],
            "link": desk_link(ticket),
        },
        ticket_number=ticket.number,
    )


def _wants(contact_user: User, preference: str, *, important: bool) -> bool:
    if not contact_user.is_active or preference == NotificationPreference.NONE:
        return False
    return important or preference == NotificationPreference.ALL


def agent_replied(ticket: Ticket, message: Message) -> None:
    """The requester and the copied addresses get the engineer's public reply by email."""
    requester = ticket.requester
    context = {"ticket": ticket, "message": message, "link": portal_link(ticket)}
    if _wants(requester.user, requester.notifications, important=True):
        enqueue(
            "ticket_reply",
            _recipient(requester.user),
            context,
            dedupe_key=f"reply:{message.pk}",
            ticket_number=ticket.number,
        )
    for email in ticket.cc.exclude(email__iexact=requester.user.email).values_list("email", flat=True):
        enqueue(
            "ticket_reply",
            Recipient(email, settings.LANGUAGE_CODE),
            context,
            dedupe_key=f"reply:{message.pk}:{email}",
            ticket_number=ticket.number,
        )


def status_changed(ticket: Ticket, old: Status, new: Status) -> None:
    """The requester hears of every change of stage (resolved and closed even when they
    asked for important news only)."""
    requester = ticket.requester
    important = new.kind in {StatusKind.RESOLVED, StatusKind.CLOSED}
    if not _wants(requester.user, requester.notifications, important=important):
        return
    enqueue(
        "ticket_status",
        _recipient(requester.user),
        {"ticket": ticket, "old": old, "new": new, "link": portal_link(ticket)},
        ticket_number=ticket.number,
    )


def merged(duplicate: Ticket, survivor: Ticket) -> None:
    """Both requesters learn where the conversation continues."""
    users = {ticket.requester.user for ticket in (duplicate, survivor)}
    for user in users:
        if not user.is_active:
            continue
        enqueue(
            "ticket_merged",
            _recipient(user),
            {"duplicate": duplicate, "survivor": survivor, "link": portal_link(survivor), "user": user},
            dedupe_key=f"merged:{duplicate.pk}:{user.pk}",
            ticket_number=survivor.number,
        )
