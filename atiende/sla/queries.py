"""SLA reads shared by the desk pages, starting from the access filter."""

from __future__ import annotations

import datetime

from django.db.models import F, Q, QuerySet

from atiende.accounts.models import User
from atiende.sla.models import TicketSla
from atiende.tickets.access import active_agent, tickets_visible_to
from atiende.tickets.models import StatusKind, Ticket
from atiende.tickets.queries import tickets_for_listing

WORKING_KINDS = (StatusKind.NEW, StatusKind.OPEN, StatusKind.PENDING)

# The clocks a ticket page shows, read with the ticket in the same statement
# (`access.get_ticket_for_user(…, joining=WITH_TICKET)`): one statement fewer per page.
WITH_TICKET = ("sla__calendar", "sla__policy")


def clocks_of(ticket: Ticket) -> TicketSla | None:
    """The ticket's clocks with their calendar and policy: those read with the ticket when
    they were (`WITH_TICKET`), else read now; None when no policy covers the ticket."""
    if Ticket.sla.is_cached(ticket):
        try:
            clocks: TicketSla = ticket.sla
        except TicketSla.DoesNotExist:
            return None
        return clocks
    return TicketSla.objects.select_related("calendar", "policy").filter(ticket=ticket).first()


def _warned(moment: F | datetime.datetime) -> Q:
    return Q(sla__first_response_met_at__isnull=True, sla__first_response_warn_at__lte=moment) | Q(
        sla__resolution_met_at__isnull=True, sla__resolution_warn_at__lte=moment
    )


def tickets_at_risk_for_agent(
    user: User, now: datetime.datetime, *, descending: bool = False
) -> QuerySet[Ticket]:
    """Tickets the agent may see with a target still running that is at risk or breached
    (a paused one as it stood at the pause), least business time left first. The rows
    carry their clocks and calendar, so the list costs the same whatever its length."""
    if active_agent(user) is None:
        return Ticket.objects.none()
    crossed = (Q(sla__paused_since__isnull=True) & _warned(now)) | (
        Q(sla__paused_since__isnull=False) & _warned(F("sla__paused_since"))
    )
    order = ("-sla__next_due_at", "-id") if descending else ("sla__next_due_at", "id")
    return (
        tickets_for_listing(tickets_visible_to(user))
        .filter(crossed, status__kind__in=WORKING_KINDS)
        .select_related("sla__calendar")
        .order_by(*order)
    )
