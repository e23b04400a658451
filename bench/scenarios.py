"""The benchmarked pages, each with who asks for it and where, picked from generated data.

Each scenario has a `large` and a `small` case (a busy queue and a quiet one, a 50-message
thread and a short one…): the number of SQL queries must be the same for both."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from atiende.accounts.models import Agent, AgentRole, Contact, User
from atiende.tickets import freshness
from atiende.tickets.models import Queue, StatusKind, Ticket

# The generator's queues (`bench-1`…), not the one `bench.ingest` adds.
GENERATED_QUEUE = r"^bench-[0-9]+$"


@dataclass(frozen=True)
class Case:
    """Who asks for which page, and how. Every request is measured as right after some
    ticket changed (`prepare`), so what pages keep under the tickets' stamp (the inbox's
    counts) is counted again, as on a busy desk; an `unchanged` case is asked again with
    nothing changed since, and an htmx one then says what it shows, as the inbox's
    refresh does (a 204 when nothing changed: `status`)."""

    user: User
    url: str
    htmx: bool = False  # asked as htmx asks, for the fragment that refreshes part of a page
    unchanged: bool = False

    @property
    def headers(self) -> dict[str, str]:
        return {"HX-Request": "true"} if self.htmx else {}

    @property
    def status(self) -> int:
        return 204 if self.htmx and self.unchanged else 200

    def address(self) -> str:
        """The URL to ask now (what the page shows is only good for a minute)."""
        if not (self.htmx and self.unchanged):
            return self.url
        shown = freshness.shown(freshness.stamp(self.user.pk))
        return f"{self.url}{'&' if '?' in self.url else '?'}{urlencode({'shown': shown})}"

    def prepare(self) -> None:
        """Before each request: some ticket just changed, unless the case says nothing did."""
        if not self.unchanged:
            freshness.touch()


@dataclass(frozen=True)
class Scenario:
    name: str
    target_ms: float | None
    large: Case
    small: Case
    listing: bool = True  # a list or search: its queries must use indexes


def _busiest_queue_agent() -> tuple[Agent, Queue, Queue]:
    agent_queues = (
        Queue.objects.filter(agents__role=AgentRole.AGENT, slug__regex=GENERATED_QUEUE)
        .annotate(size=Count("tickets", filter=~Q(tickets__status__kind=StatusKind.CLOSED)))
        .order_by("-size")
    )
    big, quiet = agent_queues.first(), agent_queues.last()
    assert big is not None and quiet is not None, "generate data first: python -m bench.generate"
    agent = big.agents.filter(role=AgentRole.AGENT).select_related("user").first()
    assert agent is not None
    return agent, big, quiet


def _contacts() -> tuple[Contact, Contact]:
    """The contact with most tickets who sees the whole company, and a quiet one."""
    wide = Q(memberships__sees_company_tickets=True) | Q(
        memberships__organization__contacts_see_all_tickets=True
    )
    ranked = (
        Contact.objects.filter(wide, user__email__endswith="bench.test")
        .annotate(n=Count("tickets"))
        .order_by("-n")
        .select_related("user")
    )
    # The quiet one still has an open ticket of their own: an empty page makes fewer queries.
    busy = ranked.first()
    quiet = ranked.filter(n__gt=0, tickets__in=Ticket.objects.exclude(status__kind=StatusKind.CLOSED)).last()
    assert busy is not None and quiet is not None
    return busy, quiet


def _thread(size: int, company: int | None = None) -> Ticket:
    """The newest generated ticket with `size` messages; of `company` when it has one, so
    two cases differ in their thread alone (not in the company's contracts and banks)."""
    threads = Ticket.objects.annotate(n=Count("messages")).filter(
        n=size, requester__user__email__endswith="bench.test"
    )
    ticket = (company and threads.filter(organization_id=company).order_by("-id").first()) or (
        threads.order_by("-id").first()
    )
    assert ticket is not None, f"no generated ticket with {size} messages"
    return ticket


def _agent_of(ticket: Ticket) -> User:
    agent = ticket.queue.agents.filter(role=AgentRole.AGENT).select_related("user").first()
    assert agent is not None
    return agent.user


def _word_of(contact: Contact) -> str:
    """A word that finds at least one of the contact's tickets."""
    ticket = Ticket.objects.filter(requester=contact).order_by("-id").first()
    assert ticket is not None
    return max(ticket.subject.split(), key=len)


def _billed_companies() -> tuple[int, int] | None:
    """The companies `bench.generate` put on an hour bank: the largest first."""
    from atiende.tickets.models import Contract

    billed = list(
        Contract.objects.filter(reference__startswith="BENCH-BOLSA-")
        .annotate(n=Count("organization__tickets"))
        .order_by("-n")
        .values_list("organization_id", flat=True)
    )
    if not billed:
        return None
    return billed[0], billed[-1]


def build() -> list[Scenario]:
    agent, big, quiet = _busiest_queue_agent()
    quiet_agent = quiet.agents.filter(role=AgentRole.AGENT).select_related("user").first() or agent
    busy, calm = _contacts()
    long_thread = _thread(50)
    short_thread = _thread(3, company=long_thread.organization_id)
    number = long_thread.number

    def desk_queue(queue: Queue, **query: str) -> str:
        url = reverse("desk:queue", args=[queue.slug])
        return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    def api_tickets(**query: str) -> str:
        return reverse("api:tickets") + "?page_size=50&" + "&".join(f"{k}={v}" for k, v in query.items())

    portal: Callable[[str], str] = lambda name: reverse(f"portal:{name}")  # noqa: E731
    supervisor = Agent.objects.filter(role=AgentRole.SUPERVISOR).select_related("user").order_by("pk").first()
    assert supervisor is not None
    everything = reverse("desk:all")

    def reports(days: int, **query: str) -> str:
        end = timezone.localdate()
        start = end - datetime.timedelta(days=days - 1)
        return reverse("reports:dashboard") + "?" + urlencode({"from": start, "to": end, **query})

    billed = _billed_companies()
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")

    def statement(company: int) -> str:
        return reverse("billing:draft", args=[company]) + f"?month={month}"

    statements = (
        [
            # The whole month priced from its time entries, every line drawn: what issuing does.
            Scenario(
                "Statement, largest company (last month's draft, every entry)",
                2000,
                Case(supervisor.user, statement(billed[0])),
                Case(supervisor.user, statement(billed[1])),
                listing=False,
            ),
            # The client's monthly review as the desk shows it: hours against the bank too.
            Scenario(
                "Monthly review, largest company (last month)",
                300,
                Case(supervisor.user, reverse("reports:review", args=[billed[0], month])),
                Case(supervisor.user, reverse("reports:review", args=[billed[1], month])),
                listing=False,
            ),
        ]
        if billed
        else []
    )

    return [
        *statements,
        Scenario(
            "Agent inbox (queue, open, by last activity, 50 rows)",
            50,
            Case(agent.user, desk_queue(big)),
            Case(quiet_agent.user, desk_queue(quiet)),
        ),
        # What an open inbox asks every 20 s: the rows and the sidebar's counts, no page.
        Scenario(
            "Inbox refresh (htmx, agent's queue, open, 50 rows)",
            50,
            Case(agent.user, desk_queue(big), htmx=True),
            Case(quiet_agent.user, desk_queue(quiet), htmx=True),
        ),
        # The same, a minute or less after the last one, with no ticket changed since: the
        # page's counts are read back, the refresh answers 204 (`atiende.tickets.freshness`).
        Scenario(
            "Agent inbox, nothing changed since the last view (counts kept)",
            50,
            Case(agent.user, desk_queue(big), unchanged=True),
            Case(quiet_agent.user, desk_queue(quiet), unchanged=True),
        ),
        Scenario(
            "Inbox refresh, nothing changed (htmx, 204)",
            50,
            Case(agent.user, desk_queue(big), htmx=True, unchanged=True),
            Case(quiet_agent.user, desk_queue(quiet), htmx=True, unchanged=True),
        ),
        Scenario(
            "Supervisor inbox (Todos: every queue, open, 50 rows)",
            50,
            Case(supervisor.user, everything),
            # The quiet queue's view, as bare as Todos: both take their total from the sidebar.
            Case(supervisor.user, desk_queue(quiet)),
        ),
        Scenario(
            "Mis Tickets (portal)", 30, Case(busy.user, portal("tickets")), Case(calm.user, portal("tickets"))
        ),
        Scenario(
            "Tickets de la Compañía (portal)",
            30,
            Case(busy.user, portal("company-tickets")),
            Case(calm.user, portal("company-tickets")),
        ),
        Scenario(
            "Ticket page, 50 messages (desk)",
            40,
            Case(_agent_of(long_thread), reverse("desk:ticket", args=[long_thread.number])),
            Case(_agent_of(short_thread), reverse("desk:ticket", args=[short_thread.number])),
            listing=False,
        ),
        Scenario(
            "Ticket page, 50 messages (portal)",
            40,
            Case(long_thread.requester.user, reverse("portal:ticket-detail", args=[long_thread.number])),
            Case(short_thread.requester.user, reverse("portal:ticket-detail", args=[short_thread.number])),
            listing=False,
        ),
        Scenario(
            "Full-text search, desk (queue, all states: «impresora no imprime»)",
            150,
            Case(agent.user, desk_queue(big, q="impresora+no+imprime", state="all")),
            Case(quiet_agent.user, desk_queue(quiet, q="impresora+no+imprime", state="all")),
        ),
        Scenario(
            "Full-text search, portal (Buscar: «correo lento»)",
            150,
            Case(busy.user, portal("search") + "?q=correo+lento"),
            Case(calm.user, portal("search") + f"?q={_word_of(calm)}"),
        ),
        Scenario(
            "Ticket-number search, desk (#number)",
            150,
            Case(_agent_of(long_thread), desk_queue(long_thread.queue, q=f"%23{number}", state="all")),
            Case(
                _agent_of(short_thread),
                desk_queue(short_thread.queue, q=f"%23{short_thread.number}", state="all"),
            ),
        ),
        # api: the ticket list and search endpoints, a page of 50 as the desk shows.
        Scenario(
            "API ticket list (agent's queue, open, by last activity, 50 rows)",
            50,
            Case(agent.user, api_tickets(queue=str(big.pk), state="open")),
            Case(quiet_agent.user, api_tickets(queue=str(quiet.pk), state="open")),
        ),
        Scenario(
            "API full-text search (queue, all states: «impresora no imprime»)",
            150,
            Case(agent.user, api_tickets(queue=str(big.pk), q="impresora+no+imprime")),
            Case(quiet_agent.user, api_tickets(queue=str(quiet.pk), q="impresora+no+imprime")),
        ),
        # reports: the dashboard adds up daily totals (a quarter and a week: the same queries;
        # with no filter, or one that is the breakdown, it reads `DailyTotal` alone).
        Scenario(
            "Reports dashboard (every queue, 90 days, by queue)",
            300,
            Case(supervisor.user, reports(days=90, by="queue")),
            Case(supervisor.user, reports(days=7, by="queue", queue=str(quiet.pk))),
            listing=False,
        ),
        Scenario(
            "Reports dashboard (30 days, by engineer)",
            300,
            Case(supervisor.user, reports(days=30, by="engineer")),
            Case(supervisor.user, reports(days=7, by="engineer")),
            listing=False,
        ),
        Scenario(
            "Monthly service-level report (last month, per company and queue)",
            300,
            Case(supervisor.user, reverse("reports:sla-report") + f"?month={month}"),
            Case(supervisor.user, reverse("reports:sla-report") + "?month=2001-01"),
            listing=False,
        ),
        Scenario(
            "Workload (open, at risk, waiting, time this week per engineer)",
            300,
            Case(supervisor.user, reverse("reports:workload")),
            Case(quiet_agent.user, reverse("reports:workload")),
            listing=False,
        ),
        Scenario(
            "At risk / breached (agent's tickets, 50 rows)",
            300,
            Case(agent.user, reverse("reports:at-risk")),
            Case(quiet_agent.user, reverse("reports:at-risk")),
            listing=False,
        ),
    ]
