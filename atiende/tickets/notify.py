"""The emails tickets cause, queued in the outbox inside the action's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.urls import reverse

from atiende.accounts.models import NotificationPreference, User
from atiende.outbox.outbox import Recipient, enqueue
from atiende.tickets.models import Ticket


def portal_link(ticket: Ticket) -> str:
    return settings.ATIENDE_BASE_URL + reverse("portal:ticket-detail", args=[ticket.number])


def desk_link(ticket: Ticket) -> str:
    # The desk's ticket page arrives with the desk; until then its home lists the ticket.
    return settings.ATIENDE_BASE_URL + reverse("desk:home")


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
