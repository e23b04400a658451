"""The notice an unsatisfied rating causes, queued in the outbox in the rating's
transaction: the queue's supervisors hear of it at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from atiende.accounts.models import Agent
from atiende.outbox.outbox import Recipient, enqueue_each
from atiende.sla.notices import queue_supervisors
from atiende.tickets.models import Ticket
from atiende.tickets.notify import desk_link

if TYPE_CHECKING:
    from atiende.satisfaction.models import Rating


def supervisors_for(ticket: Ticket) -> list[Agent]:
    """The queue's supervisors who take email."""
    return [agent for agent in queue_supervisors(ticket.queue) if agent.email_notifications]


def low_rating(ticket: Ticket, rating: Rating, *, event_id: int) -> int:
    """Tell the queue's supervisors that the requester was unsatisfied; how many emails."""
    agents = supervisors_for(ticket)
    queued = enqueue_each(
        "satisfaction_low",
        [
            (
                Recipient(agent.user.email, agent.user.language or settings.LANGUAGE_CODE),
                f"csat-low:{event_id}:{agent.pk}",
            )
            for agent in agents
        ],
        {"ticket": ticket, "rating": rating, "link": desk_link(ticket)},
        ticket_number=ticket.number,
    )
    return len(queued)
