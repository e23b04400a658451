"""Email ingestion throughput of one worker, on the database DATABASE_URL names.

    ATIENDE_VAR_DIR=/tmp/ingest python -m bench.ingest --messages 500          # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1/atiende_ingest python -m bench.ingest

Needs a migrated database; it adds a company (domain ingest.bench.test), a queue with five
engineers and 200 contacts the first time. Each message is stored raw and processed
(`mail.inbound.store` + `process`: parse, route, open the ticket, queue the confirmation
and the queue's notices, mark it processed), the way a Celery worker does it. The emails
queued are left to the outbox workers, as with a broker; `--send` sends them in-process
too, as the demo without a broker does. Prints messages per second, SQL per message and
the CPU per message: the worker's and, on PostgreSQL, the database backend's (from /proc).
On a busy machine the CPU figures hold where messages per second do not; one worker on an
idle core could do about `1000 / cpu_ms` messages per second.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from bench import setup_django
from bench.run import production_environment


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--send", action="store_true", help="Also send the queued emails in-process.")
    args = parser.parse_args()
    production_environment()  # DEBUG off: cached templates, no query log
    setup_django()
    from django.db import connection

    senders, queue = _world()
    result = measure(senders, queue, args.messages, send=args.send)
    print(
        f"{connection.vendor}: {args.messages} messages in {result['seconds']} s = {result['per_second']:.0f} messages/s; "
        f"per message p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
        f"{result['queries']:.0f} SQL queries; CPU {result['cpu_ms']} ms per message "
        f"(worker {result['worker_cpu_ms']}, database {result['database_cpu_ms']}); "
        f"emails {'sent in-process' if args.send else 'left to the outbox workers'}"
    )


def measure(senders: list[str], queue: str, count: int, *, send: bool = False) -> dict[str, Any]:
    """Store and process `count` generated messages from these senders into the queue, one
    after the other as one worker does; the emails they cause are left to the outbox
    workers unless `send`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from atiende.jobs import dispatch
    from atiende.mail import inbound
    from bench.cpu import backend_pid, process_seconds
    from bench.run import raw_email

    deliver, flag = dispatch.deliver_outbox, dispatch.flag_similar
    dispatch.flag_similar = lambda ticket_id: None  # a worker's job after the commit
    if not send:
        dispatch.deliver_outbox = lambda ids: None  # a broker would carry them
    messages = [raw_email(senders[i % len(senders)], i) for i in range(count)]
    durations: list[float] = []
    queries = 0
    database = backend_pid()
    database_started = process_seconds(database) if database else 0.0
    worker_started = time.process_time()
    started = time.perf_counter()
    try:
        for raw in messages:
            begun = time.perf_counter()
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:  # counts even with DEBUG off
                stored, _new = inbound.store(raw, source="bench")
                outcome = inbound.process(stored, queue_slug=queue)
            durations.append(time.perf_counter() - begun)
            queries += len(captured)
            assert outcome.status == "processed", outcome.text
    finally:
        dispatch.deliver_outbox, dispatch.flag_similar = deliver, flag
    elapsed = time.perf_counter() - started
    worker_cpu = time.process_time() - worker_started
    database_cpu = (process_seconds(database) - database_started) if database else 0.0
    cuts = statistics.quantiles(durations, n=20)
    return {
        "messages": count,
        "seconds": round(elapsed, 2),
        "per_second": round(count / elapsed, 1),
        "p50_ms": round(statistics.median(durations) * 1000, 1),
        "p95_ms": round(cuts[18] * 1000, 1),
        "queries": round(queries / count, 1),
        "cpu_ms": round((worker_cpu + database_cpu) * 1000 / count, 1),
        "worker_cpu_ms": round(worker_cpu * 1000 / count, 1),
        "database_cpu_ms": round(database_cpu * 1000 / count, 1),
    }


def _world() -> tuple[list[str], str]:
    from atiende.accounts.models import AgentRole, Organization
    from atiende.tickets.models import Queue
    from tests.factories import make_agent, make_contact

    organization, created = Organization.objects.get_or_create(
        name="Bench ingestion", defaults={"email_domains": "ingest.bench.test"}
    )
    queue, _ = Queue.objects.get_or_create(slug="bench-ingest", defaults={"name": "Bench ingestion"})
    if created:
        for n in range(5):
            make_agent(f"agente{n}@ingest.bench.test", queue, role=AgentRole.AGENT, full_name=f"Agente {n}")
        for n in range(200):
            make_contact(f"persona{n}@ingest.bench.test", organization, full_name=f"Persona {n}")
    return [f"persona{n}@ingest.bench.test" for n in range(200)], queue.slug


if __name__ == "__main__":
    main()
