"""Reads shared by several surfaces. Each starts from the access filter and loads what
its rows show in a constant number of queries."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from atiende.accounts.models import Agent, Contact, Organization, User
from atiende.tickets import vocabulary
from atiende.tickets.access import (
    active_agent,
    active_contact,
    company_wide_organizations,
    tickets_visible_to,
)
from atiende.tickets.models import (
    Contract,
    LinkKind,
    Queue,
    Status,
    StatusKind,
    Ticket,
    TicketCc,
    TicketLink,
    TicketSeen,
    TimeEntry,
)
from atiende.tickets.related import Related

OPEN_KINDS = (StatusKind.NEW, StatusKind.OPEN, StatusKind.PENDING, StatusKind.RESOLVED)

# Tickets not closed. Closing is final and stamps `closed_at`, so `closed_at IS NULL` says
# the same as the status and lets PostgreSQL and SQLite use the partial indexes on open
# tickets (ticket_open_*); the status condition keeps the meaning exact.
STILL_OPEN = Q(closed_at__isnull=True) & ~Q(status__kind=StatusKind.CLOSED)
CLOSED = Q(status__kind=StatusKind.CLOSED)


def closed_stages() -> list[int]:
    """The ids of the closed stages, from the kept vocabulary: a condition on the ticket's
    own column instead of a join of the stages, so a count reads the index alone."""
    return [pk for pk, status in vocabulary.kept.load().status.items() if status.kind == StatusKind.CLOSED]


def still_open() -> Q:
    """`STILL_OPEN` without its join."""
    return Q(closed_at__isnull=True) & ~Q(status_id__in=closed_stages())


def closed() -> Q:
    """`CLOSED` without its join."""
    return Q(status_id__in=closed_stages())


def tickets_for_listing(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Rows for a ticket list with what every list shows, most recent activity first. The
    people come in two more queries by key: joined too, the ten tables cost PostgreSQL
    more to plan (8 ms at a million tickets) than the two queries to run."""
    return (
        tickets.select_related("status", "priority", "queue", "organization")
        .prefetch_related(
            Prefetch("requester", queryset=Contact.objects.select_related("user")),
            Prefetch("assignee", queryset=Agent.objects.select_related("user")),
        )
        .order_by("-last_activity_at", "-id")
    )


@dataclass(frozen=True)
class ContactCounts:
    open: int
    closed: int
    company: int | None  # None when the contact may not see the company's tickets


def tickets_for_contact(user: User, organization: Organization, *, company: bool = False) -> QuerySet[Ticket]:
    """*Mis Tickets* (requested by the contact) or, with `company`, every ticket of the
    company the contact may see (*Tickets de la Compañía*, *Buscar*)."""
    visible = tickets_visible_to(user).filter(organization=organization)
    contact = active_contact(user)
    if not company and contact is not None:
        visible = visible.filter(requester=contact)
    return tickets_for_listing(visible)


def counts_for_contact(user: User, organization: Organization) -> ContactCounts:
    contact = active_contact(user)
    if contact is None:
        return ContactCounts(0, 0, None)
    totals = (
        tickets_visible_to(user)
        .filter(organization=organization)
        .aggregate(
            open=Count("pk", filter=Q(requester=contact) & ~closed()),
            closed=Count("pk", filter=Q(requester=contact) & closed()),
            company=Count("pk"),
        )
    )
    sees_company = company_wide_organizations(user).filter(pk=organization.pk).exists()
    return ContactCounts(totals["open"], totals["closed"], totals["company"] if sees_company else None)


def open_closed_counts(tickets: QuerySet[Ticket]) -> dict[str, int]:
    return tickets.order_by().aggregate(
        open=Count("pk", filter=~closed()),
        closed=Count("pk", filter=closed()),
    )


def services_of(organization: Organization) -> QuerySet[Contract]:
    """The company's contracted services in force."""
    return Contract.objects.in_force().filter(organization=organization).select_related("service")


LINKS = Related("links", lambda ticket: TicketLink.objects.filter(Q(source=ticket) | Q(target=ticket)))
TIME = Related("time", lambda ticket: TimeEntry.objects.filter(ticket=ticket))
TAGS = Related("tags", lambda ticket: Ticket.tags.through.objects.filter(ticket=ticket))
COPIES = Related("copies", lambda ticket: TicketCc.objects.filter(ticket=ticket))


def links_for(user: User, ticket: Ticket) -> list[tuple[str, Ticket]]:
    """The tickets linked to this one that the user may also see, with how they relate.
    The links come as plain ids in one query (most tickets have none, and a join of the
    linked tickets and their stages cost more to plan than to run), then the tickets the
    user may see among them in a second, only when there are any."""
    if LINKS.absent(ticket):
        return []
    links = list(
        TicketLink.objects.filter(Q(source=ticket) | Q(target=ticket))
        .order_by("pk")
        .values_list("source_id", "target_id", "kind")
    )
    if not links:
        return []
    others = {target if source == ticket.pk else source for source, target, _kind in links}
    visible = {
        other.pk: other for other in tickets_visible_to(user).filter(pk__in=others).select_related("status")
    }
    outgoing = [
        (str(LinkKind(kind).label), visible[target])
        for source, target, kind in links
        if source == ticket.pk and target in visible
    ]
    incoming = [
        (str(LinkKind(kind).incoming_label), visible[source])
        for source, target, kind in links
        if target == ticket.pk and source in visible
    ]
    return outgoing + incoming


def open_tickets_for_agent(user: User) -> QuerySet[Ticket]:
    """Open tickets of the agent's queues (all queues for supervisors and admins)."""
    return tickets_for_listing(tickets_visible_to(user).filter(STILL_OPEN, status__kind__in=OPEN_KINDS))


def queues_for_agent(user: User) -> QuerySet[Queue]:
    agent = active_agent(user)
    if agent is None:
        return Queue.objects.none()
    queues = Queue.objects.filter(is_active=True)
    return queues if agent.sees_all_queues else queues.filter(agents=agent)


def worked_queues(user: User) -> list[Queue]:
    """`queues_for_agent`'s queues by name (case aside), from the kept copies (`vocabulary`)."""
    agent = active_agent(user)
    if agent is None:
        return []
    words, parties = vocabulary.kept.load(), vocabulary.parties.load()
    members = (
        None
        if agent.sees_all_queues
        else {queue_id for queue_id, agents in parties.queue_agents.items() if agent.pk in agents}
    )
    chosen = [
        queue
        for queue in words.queue.values()
        if queue.is_active and (members is None or queue.pk in members)
    ]
    return [copy.copy(queue) for queue in sorted(chosen, key=lambda queue: (queue.name.casefold(), queue.pk))]


def inbox_for_agent(user: User) -> QuerySet[Ticket]:
    """Every ticket the agent may see, joined for the desk's list, each annotated with
    `has_news`: it changed since this agent last opened it, or they never have."""
    if active_agent(user) is None:
        return Ticket.objects.none()
    seen_since = TicketSeen.objects.filter(
        user=user, ticket=OuterRef("pk"), seen_at__gte=OuterRef("last_activity_at")
    )
    return tickets_for_listing(tickets_visible_to(user)).annotate(has_news=~Exists(seen_since))


def view_counts_for_agent(user: User, views: Mapping[str, Q]) -> dict[str, int]:
    """How many of the tickets the agent may see meet each view's condition, counted in
    one query however many views there are. Keys must be plain identifiers.

    Each view is counted by a subquery of its own, `COUNT(*)` over its condition: planned
    apart, a view of a queue's or an agent's open tickets reads only the open-ticket index
    that carries what it compares (`0011`), never the table."""
    agent = active_agent(user)
    if agent is None or not views:
        return dict.fromkeys(views, 0)
    visible = tickets_visible_to(user).order_by()
    counts = {
        key: Subquery(
            visible.filter(condition)
            .annotate(n=Func(template="COUNT(*)", output_field=IntegerField()))
            .values("n")
        )
        for key, condition in views.items()
    }
    row = Agent.objects.filter(pk=agent.pk).values(**counts).get()
    # A condition that can hold for no ticket (an empty list of queues) is left out of the
    # statement by Django and comes back as None.
    return {key: int(row[key] or 0) for key in views}  # type: ignore[literal-required]


@dataclass(frozen=True)
class OpenTally:
    """How many open tickets the agent sees in one queue, all theirs or all nobody's."""

    queue_id: int
    mine: bool
    nobody: bool
    count: int


def open_tally_for_agent(user: User) -> list[OpenTally]:
    """The open tickets the agent may see, counted in one pass by queue and by whether
    they are the agent's or nobody's: every built-in view of the desk's sidebar is a sum
    of these rows. For those who see every queue, one read of the open-ticket index
    instead of one per view (twenty queues and *Todos* for a supervisor)."""
    agent = active_agent(user)
    if agent is None:
        return []
    # `still_open`: the open-ticket index carries the stage (a join of 50,000 rows cost
    # a third of the pass at a million tickets).
    rows = (
        tickets_visible_to(user)
        .filter(still_open())
        .order_by()
        .values(
            "queue_id",
            mine=ExpressionWrapper(Q(assignee_id=agent.pk), output_field=BooleanField()),
            nobody=ExpressionWrapper(Q(assignee_id__isnull=True), output_field=BooleanField()),
        )
        .annotate(n=Count("pk"))
    )
    return [OpenTally(row["queue_id"], bool(row["mine"]), bool(row["nobody"]), row["n"]) for row in rows]


@dataclass(frozen=True)
class Stage:
    at: datetime.datetime
    name: str
    kind: str


def stage_timeline(ticket: Ticket, statuses: list[Status] | None = None) -> list[Stage]:
    """The stages the ticket went through, oldest first, in the words contacts read: the
    history keeps the name shown at the time; today's status of that name gives the portal's
    word for it and its colour (`statuses`: every status, when the caller holds them)."""
    if statuses is None:
        statuses = list(Status.objects.all())
    by_name = {name: status for status in statuses for name in (status.name_es, status.name_en) if name}
    first = next((s for s in statuses if s.kind == StatusKind.NEW), None)
    timeline = [Stage(ticket.created_at, first.portal_name if first else "", StatusKind.NEW)]
    for event in ticket.history.filter(field="status").order_by("sequence"):
        status = by_name.get(event.new_value)
        name = status.portal_name if status else event.new_value
        timeline.append(Stage(event.created_at, name, status.kind if status else ""))
    return timeline
