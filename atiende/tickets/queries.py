"""Reads shared by several surfaces. Each starts from the access filter and loads what
its rows show in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from atiende.accounts.models import User
from atiende.tickets.access import active_agent, active_contact, tickets_visible_to
from atiende.tickets.models import Queue, StatusKind, Ticket

OPEN_KINDS = (StatusKind.NEW, StatusKind.OPEN, StatusKind.PENDING, StatusKind.RESOLVED)


def _for_listing(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return tickets.select_related(
        "status", "priority", "queue", "organization", "requester__user", "assignee__user"
    ).order_by("-last_activity_at", "-id")


@dataclass(frozen=True)
class ContactCounts:
    open: int
    closed: int
    company: int | None  # None when the contact may not see company tickets


def tickets_for_contact(user: User, *, company: bool = False) -> QuerySet[Ticket]:
    """*Mis Tickets* (requested by the contact) or *Tickets de la Compañía* (all visible)."""
    visible = tickets_visible_to(user)
    contact = active_contact(user)
    if not company and contact is not None:
        visible = visible.filter(requester=contact)
    return _for_listing(visible)


def counts_for_contact(user: User) -> ContactCounts:
    contact = active_contact(user)
    if contact is None:
        return ContactCounts(0, 0, None)
    visible = tickets_visible_to(user)
    totals = visible.aggregate(
        open=Count("pk", filter=Q(requester=contact) & ~Q(status__kind=StatusKind.CLOSED)),
        closed=Count("pk", filter=Q(requester=contact, status__kind=StatusKind.CLOSED)),
        company=Count("pk"),
    )
    sees_company = contact.memberships.filter(
        Q(sees_company_tickets=True) | Q(organization__contacts_see_all_tickets=True)
    ).exists()
    return ContactCounts(totals["open"], totals["closed"], totals["company"] if sees_company else None)


def open_tickets_for_agent(user: User) -> QuerySet[Ticket]:
    """Open tickets of the agent's queues (all queues for supervisors and admins)."""
    return _for_listing(tickets_visible_to(user).filter(status__kind__in=OPEN_KINDS))


def queues_for_agent(user: User) -> QuerySet[Queue]:
    agent = active_agent(user)
    if agent is None:
        return Queue.objects.none()
    queues = Queue.objects.filter(is_active=True)
    return queues if agent.sees_all_queues else queues.filter(agents=agent)
