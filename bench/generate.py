"""Realistic data at scale: companies, contacts, agents, queues, and tickets with their
messages over three years, every stage.

    python -m bench.generate --tickets 1000000            # PostgreSQL (DATABASE_URL)
    python -m bench.generate --tickets 20000              # SQLite, a smaller size

Run it on a migrated database (`atiende migrate`). People go in through the ORM; tickets,
messages and attachments through COPY on PostgreSQL (several worker processes, triggers
off while loading, then the search index rebuilt with the same SQL function the triggers
use, GIN indexes built afterwards), and batched inserts on SQLite (one writer; the triggers index as rows arrive).
Everything generated is marked: users `…@bench.test`, companies `Bench …`.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import random
import time
from dataclasses import dataclass, field
from typing import Any

from bench import setup_django

DAY = datetime.timedelta(days=1)
CHANNELS = ["web"] * 45 + ["email"] * 40 + ["phone"] * 10 + ["whatsapp"] * 5
MAX_MESSAGES = 60  # message ids are ticket id * 64 + position
LONG_THREAD = 50  # every 10,000th ticket has this many messages (the ticket-page bench)


@dataclass
class Cast:
    """What the ticket workers need to know about the people and the catalog."""

    organizations: list[int] = field(default_factory=list)
    org_weights: list[float] = field(default_factory=list)
    contacts_of: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # org → (contact, user)
    queues: list[int] = field(default_factory=list)
    queue_weights: list[float] = field(default_factory=list)
    agents_of: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # queue → (agent, user)
    statuses: dict[str, int] = field(default_factory=dict)
    priorities: list[int] = field(default_factory=list)
    types: list[int] = field(default_factory=list)
    now: datetime.datetime = field(default_factory=lambda: datetime.datetime.now(datetime.UTC))
    years: float = 3.0


# --- people --------------------------------------------------------------------------


def create_people(args: argparse.Namespace, rng: random.Random) -> Cast:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from atiende.accounts.models import Agent, AgentRole, Contact, Membership, Organization, User
    from atiende.tickets.models import Priority, Queue, Status, TicketType

    password = make_password("bench-password")
    cast = Cast(years=args.years)
    with transaction.atomic():
        first = Organization.objects.count()
        organizations = Organization.objects.bulk_create(
            Organization(
                name=f"Bench {first + i:05d} {rng.choice(['S.A.S.', 'Ltda.', 'S.A. de C.V.', 'S.A.'])}",
                email_domains=f"empresa{first + i}.bench.test",
                contacts_see_all_tickets=rng.random() < 0.3,
            )
            for i in range(args.companies)
        )
        # A few big companies and a long tail of small ones.
        weights = [1 / (rank + 1) ** 0.8 for rank in range(len(organizations))]
        total = sum(weights)
        quota = [max(1, round(args.contacts * w / total)) for w in weights]
        users: list[User] = []
        owners: list[Organization] = []
        first_user = User.objects.count()
        for organization, count in zip(organizations, quota, strict=True):
            for _ in range(count):
                n = first_user + len(users)
                users.append(
                    User(
                        email=f"contacto{n}@empresa{organization.pk}.bench.test",
                        full_name=f"Contacto {n}",
                        password=password,
                    )
                )
                owners.append(organization)
        agent_users = [
            User(email=f"agente{first_user + i}@bench.test", full_name=f"Agente {i}", password=password)
            for i in range(args.agents)
        ]
        User.objects.bulk_create(users + agent_users, batch_size=2000)
        users = list(User.objects.filter(email__in=[u.email for u in users]).order_by("id"))
        by_email = {u.email: u for u in users}
        contacts = Contact.objects.bulk_create(
            [
                Contact(user=user, phone=f"+57 3{rng.randint(10, 99)} {rng.randint(1000000, 9999999)}")
                for user in users
            ],
            batch_size=2000,
        )
        for contact in contacts:
            contact.phone_digits = "".join(ch for ch in contact.phone if ch.isdigit())
        Contact.objects.bulk_update(contacts, ["phone_digits"], batch_size=2000)
        contact_of_user = {c.user_id: c for c in contacts}
        memberships = []
        for user, organization in zip(sorted(by_email.values(), key=lambda u: u.pk), owners, strict=True):
            contact = contact_of_user[user.pk]
            memberships.append(
                Membership(
                    contact=contact,
                    organization=organization,
                    is_primary=True,
                    sees_company_tickets=rng.random() < 0.1,
                )
            )
            cast.contacts_of.setdefault(organization.pk, []).append((contact.pk, user.pk))
        Membership.objects.bulk_create(memberships, batch_size=2000)

        agent_users = list(User.objects.filter(email__in=[u.email for u in agent_users]).order_by("id"))
        roles = [AgentRole.ADMIN] * 5 + [AgentRole.SUPERVISOR] * 15
        agents = Agent.objects.bulk_create(
            Agent(user=user, role=roles[i] if i < len(roles) else AgentRole.AGENT)
            for i, user in enumerate(agent_users)
        )
        first_queue = Queue.objects.count()
        queues = Queue.objects.bulk_create(
            Queue(name=f"Bench cola {first_queue + i}", slug=f"bench-{first_queue + i}")
            for i in range(args.queues)
        )
        workers = [agent for agent in agents if agent.role == AgentRole.AGENT] or agents
        through = []
        for i, agent in enumerate(workers):
            for queue in {queues[i % len(queues)], rng.choice(queues)}:
                through.append(Queue.agents.through(queue_id=queue.pk, agent_id=agent.pk))
                cast.agents_of.setdefault(queue.pk, []).append((agent.pk, agent.user_id))
        Queue.agents.through.objects.bulk_create(through)

    cast.organizations = [o.pk for o in organizations]
    # Tickets follow the company's size (its share of contacts), not its square.
    cast.org_weights = [float(len(cast.contacts_of.get(o.pk, []))) for o in organizations]
    cast.queues = [q.pk for q in queues]
    cast.queue_weights = [1 / (rank + 1) ** 0.5 for rank in range(len(queues))]
    cast.statuses = {s.kind: s.pk for s in Status.objects.filter(is_default=True)}
    cast.priorities = list(Priority.objects.values_list("pk", flat=True))
    cast.types = list(TicketType.objects.values_list("pk", flat=True))
    return cast


# --- tickets -------------------------------------------------------------------------

TICKET_COLUMNS = [
    "id", "number", "subject", "organization_id", "requester_id", "created_by_id", "channel",
    "queue_id", "service_id", "contract_id", "type_id", "category_id", "location_id", "priority_id",
    "status_id", "assignee_id", "created_at", "updated_at", "first_response_at", "resolved_at",
    "closed_at", "last_activity_at",
]  # fmt: skip
MESSAGE_COLUMNS = [
    "id", "ticket_id", "kind", "author_id", "channel", "body_text", "body_html", "email_message_id",
    "email_headers", "created_at",
]  # fmt: skip
ATTACHMENT_COLUMNS = [
    "id", "ticket_id", "message_id", "file", "filename", "content_type", "size", "sha256", "content_id",
    "created_at",
]  # fmt: skip


def _stage(rng: random.Random, age_days: float) -> str:
    """Recent tickets are still being worked; old ones are closed."""
    roll = rng.random()
    if age_days < 14:
        return "new" if roll < 0.2 else "open" if roll < 0.6 else "pending" if roll < 0.8 else "resolved"
    if age_days < 60:
        return (
            "open" if roll < 0.05 else "pending" if roll < 0.08 else "resolved" if roll < 0.35 else "closed"
        )
    return "resolved" if roll < 0.02 else "pending" if roll < 0.025 else "closed"


def ticket_rows(cast: Cast, first_id: int, count: int, total: int, offset: int, seed: int):
    """Yield (ticket row, [message rows], [attachment rows]) for `count` tickets."""
    from bench.vocabulary import TextMaker

    rng = random.Random(seed)
    text = TextMaker(rng)
    span = datetime.timedelta(days=365 * cast.years)
    start = cast.now - span
    org_cum: list[float] = []
    running = 0.0
    for weight in cast.org_weights:
        running += weight
        org_cum.append(running)
    for i in range(offset, offset + count):
        ticket_id = first_id + i
        created = start + span * (i / total) + datetime.timedelta(minutes=rng.uniform(-30, 30))
        created = min(created, cast.now - datetime.timedelta(minutes=5))
        age = (cast.now - created) / DAY
        organization = rng.choices(cast.organizations, cum_weights=org_cum)[0]
        contact, contact_user = rng.choice(cast.contacts_of[organization])
        queue = rng.choices(cast.queues, weights=cast.queue_weights)[0]
        stage = _stage(rng, age)
        assignee = rng.choice(cast.agents_of[queue]) if stage != "new" and cast.agents_of.get(queue) else None
        if i % 10000 == 5000:
            n_messages = LONG_THREAD
        elif stage == "new":
            n_messages = 1
        else:
            n_messages = min(MAX_MESSAGES, 2 + int(rng.expovariate(1 / 2.2)))
        channel = rng.choice(CHANNELS)
        messages: list[tuple[Any, ...]] = []
        attachments: list[tuple[Any, ...]] = []
        when = created
        first_response = None
        limit = cast.now - datetime.timedelta(minutes=1)
        for position in range(n_messages):
            if position == 0:
                kind, author, body = "public", contact_user, text.customer_message()
            elif assignee is not None and rng.random() < 0.15:
                kind, author, body = "note", assignee[1], text.note()
            elif assignee is not None and position % 2 == 1:
                kind, author, body = "public", assignee[1], text.agent_message()
            else:
                kind, author, body = "public", contact_user, text.customer_message()
            if position:
                gap = datetime.timedelta(minutes=rng.expovariate(1 / (240 if age > 14 else 60)))
                when = min(when + gap, limit)
            if kind == "public" and author != contact_user and first_response is None:
                first_response = when
            message_id = ticket_id * 64 + position
            messages.append(
                (
                    message_id,
                    ticket_id,
                    kind,
                    author,
                    channel if position == 0 else "web",
                    body,
                    "",
                    "",
                    "{}",
                    when,
                )
            )
            if rng.random() < 0.04:
                name = text.filename()
                attachments.append(
                    (message_id, ticket_id, message_id, "bench/missing", name, "application/octet-stream",
                     rng.randint(2000, 4_000_000), "0" * 64, "", when)
                )  # fmt: skip
        last = when
        resolved = last if stage in {"resolved", "closed"} else None
        closed = last + datetime.timedelta(days=3) if stage == "closed" else None
        if closed is not None:
            closed = min(closed, limit)
        row = (
            ticket_id, ticket_id, text.subject(), organization, contact, contact_user, channel, queue,
            None, None, rng.choice(cast.types), None, None, rng.choice(cast.priorities),
            cast.statuses[stage], assignee[0] if assignee else None, created, closed or last, first_response,
            resolved, closed, closed or last,
        )  # fmt: skip
        yield row, messages, attachments


def _copy_worker(cast: Cast, first_id: int, count: int, total: int, offset: int, seed: int) -> int:
    """One PostgreSQL loader: its own connection, triggers and FK checks off (bulk load)."""
    from django.db import connection

    connection.ensure_connection()
    raw: Any = connection.connection
    rows = 0
    with raw.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        batch = 20000
        for start in range(offset, offset + count, batch):
            size = min(batch, offset + count - start)
            tickets, messages, attachments = [], [], []
            for ticket, ticket_messages, files in ticket_rows(
                cast, first_id, size, total, start, seed + start
            ):
                tickets.append(ticket)
                messages.extend(ticket_messages)
                attachments.extend(files)
            for table, columns, data in (
                ("tickets_ticket", TICKET_COLUMNS, tickets),
                ("tickets_message", MESSAGE_COLUMNS, messages),
                ("tickets_attachment", ATTACHMENT_COLUMNS, attachments),
            ):
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in data:
                        copy.write_row(row)
            raw.commit()
            rows += size
    connection.close()
    return rows


def _index_worker(low: int, high: int) -> None:
    """Fill the tickets' search vectors with the functions the triggers use."""
    from django.db import connection

    with connection.cursor() as cursor:
        step = 20000
        for start in range(low, high + 1, step):
            cursor.execute(
                "UPDATE tickets_ticket SET search_public = atiende_search_public(id, subject),"
                " search_internal = atiende_search_internal(id) WHERE id BETWEEN %s AND %s",
                [start, min(high, start + step - 1)],
            )
    connection.close()


SEARCH_INDEXES = ("ticket_search_public", "ticket_search_all")


def _drop_search_indexes() -> list[str]:
    """GIN indexes build far faster once than row by row: drop them for the load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [list(SEARCH_INDEXES)])
        definitions = [row[0] for row in cursor.fetchall()]
        for name in SEARCH_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    return definitions


def _create_indexes(definitions: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for definition in definitions:
            cursor.execute(definition)
    connection.close()


def _in_parallel(target: Any, jobs: list[tuple[Any, ...]]) -> None:
    from django.db import connections

    connections.close_all()  # children must not share the parent's connection
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=target, args=job) for job in jobs]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
        if process.exitcode != 0:
            raise SystemExit(f"a worker failed ({process.exitcode})")


def load_postgres(cast: Cast, first_id: int, total: int, workers: int, seed: int) -> None:
    share = -(-total // workers)
    jobs = [
        (cast, first_id, min(share, total - w * share), total, w * share, seed + 1000 * w)
        for w in range(workers)
        if w * share < total
    ]
    started = time.monotonic()
    definitions = _drop_search_indexes()
    _in_parallel(_copy_worker, jobs)
    print(f"  tickets and messages copied in {time.monotonic() - started:.0f}s")
    started = time.monotonic()
    last = first_id + total - 1
    share = -(-total // workers)
    _in_parallel(
        _index_worker,
        [(first_id + w * share, min(last, first_id + (w + 1) * share - 1)) for w in range(workers)],
    )
    # One GIN index per process: the two build side by side.
    _in_parallel(_create_indexes, [([definition],) for definition in definitions])
    print(f"  search vectors and GIN indexes built in {time.monotonic() - started:.0f}s")


def load_sqlite(cast: Cast, first_id: int, total: int, seed: int) -> None:
    from django.db import connection, transaction

    ops = connection.ops

    def adapt(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(ops.adapt_datetimefield_value(v) if isinstance(v, datetime.datetime) else v for v in row)

    batch = 5000
    with connection.cursor() as cursor:
        for start in range(0, total, batch):
            size = min(batch, total - start)
            tickets: list[tuple[Any, ...]] = []
            messages: list[tuple[Any, ...]] = []
            attachments: list[tuple[Any, ...]] = []
            for ticket, ticket_messages, files in ticket_rows(
                cast, first_id, size, total, start, seed + start
            ):
                tickets.append(adapt(ticket))
                messages.extend(adapt(m) for m in ticket_messages)
                attachments.extend(adapt(a) for a in files)
            with transaction.atomic():
                for table, columns, data in (
                    ("tickets_ticket", TICKET_COLUMNS, tickets),
                    ("tickets_message", MESSAGE_COLUMNS, messages),
                    ("tickets_attachment", ATTACHMENT_COLUMNS, attachments),
                ):
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", data)


def finish(first_id: int, total: int) -> None:
    """Sequences past the loaded ids, the next ticket number, fresh planner statistics."""
    from django.core.management.color import no_style
    from django.db import connection

    from atiende.accounts.models import Contact, Membership, Organization, User
    from atiende.tickets.models import Attachment, Message, Queue, Ticket, TicketNumberCounter

    models = [Ticket, Message, Attachment, User, Contact, Membership, Organization, Queue]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        last_number = Ticket.objects.order_by("-number").values_list("number", flat=True).first() or 0
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval('tickets_ticket_number_seq', %s)", [last_number])
            connection.set_autocommit(True)
            # Filling the vectors rewrote every ticket row: compact the table once.
            cursor.execute("VACUUM FULL tickets_ticket")
            cursor.execute("VACUUM ANALYZE")
        else:
            counter = TicketNumberCounter.objects.first() or TicketNumberCounter()
            counter.last = max(counter.last, last_number)
            counter.save()
            cursor.execute("ANALYZE")


def roll_up(days: int) -> None:
    """Count the reports' daily figures of the last `days` days, as the periodic job would
    have done day after day (the report pages read only these)."""
    import datetime

    from django.utils import timezone

    from atiende.rollups.compute import roll_up_days

    started = time.monotonic()
    today = timezone.localdate()
    rows = roll_up_days(today - datetime.timedelta(days=max(days, 1) - 1), today)
    print(f"  {rows} report rows for {days} days in {time.monotonic() - started:.0f}s")


def start_clocks(days: int) -> None:
    """Service levels as a provider runs them: an office calendar (the default, unless one
    is), a general promise and a tighter one for the most urgent priority, and the clocks of
    every ticket still open or opened in the last `days` days, as they would stand had each
    run from its opening: the first response met by the first engineer's reply, resolution
    by the resolution, a pending ticket's clocks paused since its last change."""
    import datetime

    from django.db.models import Q
    from django.utils import timezone

    from atiende.sla.business_time import add_business_minutes, business_minutes_between
    from atiende.sla.models import Calendar, SlaPolicy, TicketSla, WorkingHours
    from atiende.sla.timers import warning_minutes
    from atiende.tickets.models import Priority, StatusKind, Ticket

    started = time.monotonic()
    calendar = Calendar.objects.filter(is_default=True).first()
    if calendar is None:
        calendar = Calendar.objects.create(
            name="Oficina (bench)", time_zone="America/Bogota", country="CO", is_default=True
        )
        WorkingHours.objects.bulk_create(
            WorkingHours(calendar=calendar, weekday=day, starts=datetime.time(start), ends=datetime.time(end))
            for day in range(5)
            for start, end in ((8, 12), (13, 18))
        )
    urgent = Priority.objects.order_by("level").first()
    policies = {
        None: SlaPolicy.objects.create(
            name="General (bench)", first_response_minutes=8 * 60, resolution_minutes=50 * 60
        ),
        urgent.pk if urgent else -1: SlaPolicy.objects.create(
            name="Urgente (bench)", priority=urgent, first_response_minutes=60, resolution_minutes=8 * 60
        ),
    }
    business = calendar.business()
    since = timezone.now() - datetime.timedelta(days=days)
    tickets = (
        Ticket.objects.filter(Q(created_at__gte=since) | ~Q(status__kind=StatusKind.CLOSED))
        .filter(sla__isnull=True)
        .values_list(
            "id",
            "created_at",
            "priority_id",
            "status__kind",
            "first_response_at",
            "resolved_at",
            "last_activity_at",
        )
        .order_by("id")
    )
    rows = []
    for ticket_id, opened, priority, kind, replied, resolved, last in tickets.iterator(chunk_size=5000):
        policy = policies.get(priority) or policies[None]
        sla = TicketSla(
            ticket_id=ticket_id,
            policy=policy,
            calendar=calendar,
            started_at=opened,
            warning_percent=policy.warning_percent,
            first_response_minutes=policy.first_response_minutes,
            resolution_minutes=policy.resolution_minutes,
        )
        running = []
        # Resolving a ticket meets whatever still ran, the first response too.
        for target, met in (("first_response", replied or resolved), ("resolution", resolved)):
            minutes = getattr(sla, f"{target}_minutes")
            due = add_business_minutes(business, opened, minutes)
            setattr(sla, f"{target}_due_at", due)
            warn = warning_minutes(minutes, sla.warning_percent)
            setattr(sla, f"{target}_warn_at", add_business_minutes(business, opened, warn))
            if met is not None:
                setattr(sla, f"{target}_met_at", met)
                setattr(sla, f"{target}_elapsed", max(0, business_minutes_between(business, opened, met)))
            else:
                running.append(due)
        if kind == StatusKind.PENDING and running:
            sla.paused_since = last
        sla.next_due_at = min(running, default=None)
        rows.append(sla)
    TicketSla.objects.bulk_create(rows, batch_size=5000)
    print(f"  service levels: {len(rows)} tickets' clocks in {time.monotonic() - started:.0f}s")


def bill_companies(seed: int, engineer: int | None) -> None:
    """Billing for the statement benchmark: the largest company (most tickets) and the
    smallest on the same 40-hour monthly bank, their last month's tickets under it, and
    one to three time entries on each (by its engineer, else `engineer`). The smallest is
    the company with fewest tickets among those with any last month."""
    import datetime

    from django.db.models import Count
    from django.utils import timezone

    from atiende.billing.models import ContractTerms, month_start
    from atiende.tickets.models import Contract, Service, Ticket, TimeEntry

    rng = random.Random(seed)
    started = time.monotonic()
    period = month_start(month_start(timezone.localdate()) - datetime.timedelta(days=1))
    following = month_start(period + datetime.timedelta(days=32))
    active = Ticket.objects.filter(last_activity_at__date__gte=period, created_at__date__lt=following)
    busy = set(active.values_list("organization", flat=True).distinct())
    ranked = [
        organization
        for organization, _n in Ticket.objects.values("organization")
        .annotate(n=Count("id"))
        .order_by("-n", "organization")
        .values_list("organization", "n")
        if organization in busy
    ]
    if not ranked:
        return
    service = Service.objects.create(name="Bolsa de horas (bench)")
    entries = 0
    for organization_id in dict.fromkeys((ranked[0], ranked[-1])):
        contract = Contract.objects.create(
            organization_id=organization_id,
            service=service,
            reference=f"BENCH-BOLSA-{organization_id}",
            valid_from=period - datetime.timedelta(days=365 * 3),
        )
        ContractTerms.objects.create(
            contract=contract,
            effective_from=contract.valid_from,
            kind="hour_bank",
            bank_hours=40,
            overage_rate=150000,
            increment_minutes=15,
            minimum_minutes=30,
        )
        month = Ticket.objects.filter(
            organization_id=organization_id,
            last_activity_at__date__gte=period,
            created_at__date__lt=following,
        )
        month.update(contract=contract)
        rows = []
        for ticket_id, assignee in month.values_list("id", "assignee__user_id"):
            author = assignee or engineer
            if author is None:
                continue
            for _ in range(rng.randint(1, 3)):
                day = period + datetime.timedelta(days=rng.randrange((following - period).days))
                rows.append(
                    TimeEntry(
                        ticket_id=ticket_id,
                        agent_id=author,
                        minutes=rng.choice((10, 15, 20, 30, 45, 60, 90, 120)),
                        work_date=day,
                    )
                )
        TimeEntry.objects.bulk_create(rows, batch_size=5000)
        entries += len(rows)
    print(f"  billing: {entries} time entries in {time.monotonic() - started:.0f}s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=2000)
    parser.add_argument("--contacts", type=int, default=20000)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--queues", type=int, default=20)
    parser.add_argument("--years", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2, help="loader processes (PostgreSQL)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rollup-days", type=int, default=120, help="days of report figures to count")
    parser.add_argument(
        "--clock-days", type=int, default=120, help="days of tickets whose service-level clocks to start"
    )
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from atiende.tickets.models import Ticket

    rng = random.Random(args.seed)
    started = time.monotonic()
    print(f"Generating on {connection.vendor} ({connection.settings_dict['NAME']})")
    cast = create_people(args, rng)
    print(f"  people and queues in {time.monotonic() - started:.0f}s")
    # Ticket numbers are the ids: start past both.
    last_id = Ticket.objects.order_by("-id").values_list("id", flat=True).first() or 0
    last_number = Ticket.objects.order_by("-number").values_list("number", flat=True).first() or 0
    first_id = max(last_id, last_number) + 1
    if connection.vendor == "postgresql":
        load_postgres(cast, first_id, args.tickets, max(1, args.workers), args.seed)
    else:
        load_sqlite(cast, first_id, args.tickets, args.seed)
    finish(first_id, args.tickets)
    start_clocks(args.clock_days)
    engineers = [user for pairs in cast.agents_of.values() for _agent, user in pairs]
    bill_companies(args.seed, engineers[0] if engineers else None)
    roll_up(args.rollup_days)
    print(f"Done: {args.tickets} tickets in {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    main()
