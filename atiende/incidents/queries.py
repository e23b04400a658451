"""Reads about incidents shared by the desk and the portal, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from atiende.accounts.models import User
from atiende.incidents import access
from atiende.incidents.models import Incident, IncidentChild, IncidentState, SimilarTicket
from atiende.tickets.models import Ticket


def incidents_for_agent(user: User, *, state: str = "") -> QuerySet[Incident]:
    found = access.incidents_for_agent(user).select_related("ticket__status", "ticket__organization")
    if state in IncidentState.values:
        found = found.filter(state=state)
    return found.annotate(child_count=Count("children", distinct=True)).order_by(
        "state", "-started_at", "-pk"
    )


def children_of(incident: Incident) -> QuerySet[IncidentChild]:
    return incident.children.select_related(
        "ticket__status", "ticket__organization", "ticket__requester__user", "ticket__priority"
    ).order_by("attached_at", "pk")


@dataclass(frozen=True)
class TicketIncident:
    """What the desk's ticket page says about incidents."""

    incident: Incident | None  # the ticket is this incident
    member_of: Incident | None  # the ticket is gathered under this incident
    similar: SimilarTicket | None  # possibly the same as this earlier ticket
    similar_incident: Incident | None  # the incident that earlier ticket is, if any
    children: int = 0


def for_ticket(user: User, ticket: Ticket) -> TicketIncident:
    incident = Incident.objects.filter(ticket=ticket).annotate(child_count=Count("children")).first()
    if incident is not None:
        return TicketIncident(incident, None, None, None, incident.child_count)
    child = IncidentChild.objects.filter(ticket=ticket).select_related("incident__ticket").first()
    if child is not None:
        return TicketIncident(None, child.incident, None, None)
    flag = (
        SimilarTicket.objects.filter(ticket=ticket, similar_to__in=access.visible_tickets(user))
        .select_related("similar_to__status")
        .first()
    )
    similar_incident = (
        Incident.objects.filter(ticket_id=flag.similar_to_id, state=IncidentState.ACTIVE).first()
        if flag
        else None
    )
    return TicketIncident(None, None, flag, similar_incident)


def active_choices(user: User, ticket: Ticket) -> QuerySet[Incident]:
    """The active incidents an agent may gather this ticket under."""
    return (
        access.incidents_for_agent(user)
        .filter(state=IncidentState.ACTIVE)
        .exclude(ticket=ticket)
        .select_related("ticket")
        .order_by("-started_at")[:30]
    )
