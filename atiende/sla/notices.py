"""The emails a warning or a breach causes, queued in the outbox in the sweep's transaction."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from atiende.accounts.models import Agent, AgentRole, User
from atiende.outbox.outbox import Recipient, enqueue
from atiende.sla.models import NoticeKind
from atiende.sla.state import TargetStatus
from atiende.tickets.models import Queue, Ticket
from atiende.tickets.notify import desk_link


def queue_supervisors(queue: Queue) -> QuerySet[Agent]:
    """The supervisors among the queue's agents."""
    return (
        queue.agents.filter(role=AgentRole.SUPERVISOR, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )


def recipients(ticket: Ticket) -> list[User]:
    """The assignee and the queue's supervisors, each once."""
    people: dict[int, User] = {}
    if ticket.assignee is not None and ticket.assignee.user.is_active:
        people[ticket.assignee.user.pk] = ticket.assignee.user
    for supervisor in queue_supervisors(ticket.queue):
        people.setdefault(supervisor.user.pk, supervisor.user)
    return list(people.values())


def notify_crossing(ticket: Ticket, status: TargetStatus, kind: NoticeKind) -> int:
    """Tell the people responsible that a target is at risk or breached; how many emails."""
    template = "sla_warning" if kind == NoticeKind.WARNING else "sla_breach"
    queued = 0
    for user in recipients(ticket):
        email = enqueue(
            template,
            Recipient(user.email, user.language or settings.LANGUAGE_CODE),
            {
                "ticket": ticket,
                "target": status,
                "user": user,
                "time_zone": user.time_zone or settings.TIME_ZONE,
                "link": desk_link(ticket),
            },
            dedupe_key=f"sla:{ticket.pk}:{status.target}:{kind}:{user.pk}",
            ticket_number=ticket.number,
        )
        queued += email is not None
    return queued
