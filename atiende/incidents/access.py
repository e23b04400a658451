"""Who may see and work major incidents; the one rule every incident page loads through.

- Agents see the incidents whose ticket they may see (its queue), supervisors every one;
  they work one when they may work its ticket.
- A contact sees an *active* incident when one of their companies is affected, and only
  its public face (title, start, updates): never the incident ticket itself, which
  belongs to another company's requester more often than not.
Anything else is a 404, like another company's ticket.
"""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from atiende.accounts.models import Organization, User
from atiende.incidents.models import Incident, IncidentChild, IncidentState
from atiende.kept import Kept
from atiende.tickets import access as ticket_access
from atiende.tickets.models import Ticket
from atiende.tickets.related import Related


def incidents_for_agent(user: User) -> QuerySet[Incident]:
    if ticket_access.active_agent(user) is None:
        return Incident.objects.none()
    return Incident.objects.filter(ticket__in=ticket_access.tickets_visible_to(user))


def visible_tickets(user: User) -> QuerySet[Ticket]:
    return ticket_access.tickets_visible_to(user)


def get_incident_for_agent(user: User, pk: int) -> Incident:
    incident = (
        incidents_for_agent(user).select_related("ticket__status", "ticket__queue").filter(pk=pk).first()
    )
    if incident is None:
        raise Http404
    return incident


def can_work(user: User, incident: Incident) -> bool:
    return ticket_access.can_work(user, incident.ticket)


def active_for_contact(user: User, organization: Organization) -> QuerySet[Incident]:
    """The active incidents that affect the company the contact is working with."""
    # The membership is part of the query: one query, and none of another company's.
    theirs = ticket_access.organizations_of(user).filter(pk=organization.pk).values("pk")
    return Incident.objects.filter(state=IncidentState.ACTIVE, organizations__in=theirs).order_by(
        "-started_at", "-pk"
    )


def _affected() -> frozenset[int]:
    return frozenset(
        Incident.organizations.through.objects.filter(incident__state=IncidentState.ACTIVE).values_list(
            "organization_id", flat=True
        )
    )


# The companies an active incident affects, kept per process (`atiende.kept`): most
# companies have none, and the portal's lists ask on every page.
affected = Kept("active-incidents", _affected)


def watch() -> None:
    affected.watch((Incident,), relations=(Incident.organizations.through,))


def known_to_contact(user: User, organization: Organization, limit: int = 3) -> list[Incident]:
    """`active_for_contact`, each with `my_ticket`: the number of the contact's own ticket
    under it (None when they have not said it affects them). A company no active incident
    affects is answered without a query."""
    if organization.pk not in affected.load():
        return []
    mine = IncidentChild.objects.filter(
        incident=OuterRef("pk"), ticket__requester__user=user, ticket__organization=organization
    ).values("ticket__number")[:1]
    return list(active_for_contact(user, organization).annotate(my_ticket=Subquery(mine))[:limit])


def get_incident_for_contact(user: User, organization: Organization, pk: int) -> Incident:
    incident = active_for_contact(user, organization).select_related("ticket__queue").filter(pk=pk).first()
    if incident is None:
        raise Http404
    return incident


GATHERED = Related("incident", lambda ticket: IncidentChild.objects.filter(ticket=ticket))


def incident_of_child(ticket: Ticket) -> Incident | None:
    """The major incident a ticket is gathered under, for the ticket's own readers (its
    public face only: the title and state)."""
    if GATHERED.absent(ticket):
        return None
    child = IncidentChild.objects.filter(ticket=ticket).select_related("incident").first()
    return child.incident if child is not None else None
