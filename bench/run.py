"""Benchmarks on generated data (`python -m bench.generate` first).

    python -m bench.run                    # in-process timings, ingestion, wrk through gunicorn
    python -m bench.run --no-wrk --repeat 20
    python -m bench.run --only inbox --profile   # where one page's time goes
    python -m bench.run --peer             # also django-helpdesk on the same data (bench/peer)

In process: each page through Django's test Client against the real views and middleware,
with production settings (DEBUG off): p50/p95 server time and SQL queries per request.
Email ingestion: `mail.inbound.store` + `process` on generated messages from known
contacts, one worker. Through gunicorn: requests per second with `wrk` on loopback.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from bench import setup_django
from bench.cpu import CpuMeter, ServerMeter, writes

PORT = int(os.environ.get("BENCH_PORT", "14701"))


def production_environment() -> None:
    """DEBUG off (no query log, cached templates), plain HTTP on loopback."""
    os.environ.pop("ATIENDE_DEMO", None)
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("ATIENDE_HTTPS", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("ATIENDE_VAR_DIR", str(Path(tempfile.gettempdir()) / "atiende-bench-var"))


@dataclass
class Result:
    name: str
    target_ms: float | None
    p50_ms: float
    p95_ms: float
    queries: int
    queries_small: int
    status: int
    cpu_ms: float = 0.0  # per request: Django in process plus the database backend
    writes: int = 0  # data-changing statements over the timed requests (a GET writes none)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(scenario: Any, repeat: int) -> Result:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def client_for(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    large, small = client_for(scenario.large.user), client_for(scenario.small.user)
    connection.queries_log.clear()  # a full log (it keeps 9,000) would count nothing
    small.get(scenario.small.address(), headers=scenario.small.headers)  # seen marks, kept counts
    scenario.small.prepare()
    with CaptureQueriesContext(connection) as small_queries:
        small.get(scenario.small.address(), headers=scenario.small.headers)
    for _ in range(2):  # warm caches, templates, connection
        large.get(scenario.large.address(), headers=scenario.large.headers)
    # As in a web worker (atiende/wsgi.py): what is loaded stays out of the collector's
    # reach, so a full collection in a request scans what requests made, not the
    # benchmark's own data from the scenarios before.
    gc.collect()
    gc.freeze()
    timings, status, queries, written = [], 0, 0, 0
    with CpuMeter() as cpu:
        for _ in range(repeat):
            connection.queries_log.clear()
            url = scenario.large.address()
            scenario.large.prepare()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = large.get(url, headers=scenario.large.headers)
                timings.append((time.perf_counter() - started) * 1000)
            status, queries = response.status_code, len(captured)
            written += len(writes([query["sql"] for query in captured.captured_queries]))
    return Result(
        scenario.name,
        scenario.target_ms,
        round(statistics.median(timings), 1),
        round(percentile(timings, 0.95), 1),
        queries,
        len(small_queries),
        status,
        round(cpu.milliseconds / repeat, 1),
        written,
    )


def profile(scenario: Any, repeat: int) -> str:
    """Where the large case's time goes: pyinstrument over `repeat` requests, then each SQL
    statement of one request with its time, slowest first."""
    from django.db import connection
    from django.test import Client
    from pyinstrument import Profiler

    client = Client()
    client.force_login(scenario.large.user)
    for _ in range(2):
        client.get(scenario.large.address(), headers=scenario.large.headers)
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(repeat):
            scenario.large.prepare()
            client.get(scenario.large.address(), headers=scenario.large.headers)
    statements: list[tuple[float, str]] = []

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append(((time.perf_counter() - started) * 1000, sql))

    scenario.large.prepare()
    with connection.execute_wrapper(timed):
        started = time.perf_counter()
        client.get(scenario.large.address(), headers=scenario.large.headers)
        total = (time.perf_counter() - started) * 1000
    sql_ms = sum(ms for ms, _sql in statements)
    lines = [
        f"== {scenario.name}: {scenario.large.url}",
        profiler.output_text(unicode=True, color=False, show_all=False),
        f"One request: {total:.1f} ms, of which SQL {sql_ms:.1f} ms in {len(statements)} statements:",
        *(f"  {ms:7.2f} ms  {sql[:220]}" for ms, sql in sorted(statements, reverse=True)),
    ]
    return "\n".join(lines)


def raw_email(sender: str, number: int) -> bytes:
    from bench.vocabulary import TextMaker

    text = TextMaker.shared()
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "soporte@atiende.test"
    message["Subject"] = f"{number % 3 + 1}_{text.subject()}"
    message["Message-ID"] = make_msgid(domain="bench.test")
    message["Date"] = "Mon, 02 Mar 2026 09:10:00 -0500"
    message.set_content(f"{text.customer_message()}\n\nÁrea: Contabilidad\nExtensión: 2{number % 1000:03d}\n")
    return message.as_bytes()


def ingestion(count: int) -> dict[str, Any]:
    """`bench.ingest` on the generated data: messages from the generated contacts into the
    busiest generated queue (its engineers all get the new-ticket notice)."""
    from atiende.accounts.models import Contact
    from atiende.tickets.models import Queue
    from bench.ingest import measure
    from bench.scenarios import GENERATED_QUEUE

    senders = list(
        Contact.objects.filter(user__email__endswith="bench.test", memberships__is_primary=True).values_list(
            "user__email", flat=True
        )[:500]
    )
    queue = Queue.objects.filter(slug__regex=GENERATED_QUEUE).order_by("id").first()
    assert queue is not None and senders
    return measure(senders, queue.slug, count)


def _session_cookie(user: Any) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def through_gunicorn(scenarios: list[Any], seconds: int, workers: int) -> list[dict[str, Any]]:
    if shutil.which("wrk") is None:
        print("wrk not installed (apt-get install -y wrk): skipped", file=sys.stderr)
        return []
    wanted = [s for s in scenarios if s.name.startswith(("Agent inbox (", "Ticket page, 50 messages (desk)"))]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "atiende.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--preload",
            "--log-level",
            "warning",
        ],
        env=os.environ.copy(),
    )
    results = []
    try:
        for _ in range(50):
            try:
                subprocess.run(
                    ["curl", "-fs", "-o", "/dev/null", f"http://127.0.0.1:{PORT}/health/"], check=True
                )
                break
            except subprocess.CalledProcessError:
                time.sleep(0.2)
        for scenario in wanted:
            cookie = _session_cookie(scenario.large.user)
            url = f"http://127.0.0.1:{PORT}{scenario.large.url}"
            for _ in range(workers * 3):  # every worker warm before measuring
                subprocess.run(["curl", "-fs", "-o", "/dev/null", "-H", f"Cookie: {cookie}", url], check=True)
            meter = ServerMeter(server.pid)
            with meter:
                output = subprocess.run(
                    [
                        "wrk",
                        "-t2",
                        "-c8",
                        f"-d{seconds}s",
                        "--timeout",
                        "10s",
                        "--latency",
                        "-H",
                        f"Cookie: {cookie}",
                        url,
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
            served = re.search(r"(\d+) requests in", output)
            count = int(served[1]) if served else 0
            results.append(
                {
                    "name": scenario.name,
                    "requests_per_second": float(rate[1]) if rate else 0.0,
                    "non_2xx": int(errors[1]) if errors else 0,
                    "cpu_ms_per_request": round(meter.seconds * 1000 / count, 1) if count else None,
                    "url": scenario.large.url,
                }
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return results


def data_size() -> dict[str, int]:
    from atiende.accounts.models import Agent, Contact, Organization
    from atiende.tickets.models import Message, Queue, Ticket

    return {
        "tickets": Ticket.objects.count(),
        "messages": Message.objects.count(),
        "companies": Organization.objects.count(),
        "contacts": Contact.objects.count(),
        "agents": Agent.objects.count(),
        "queues": Queue.objects.count(),
    }


def report(results: list[Result], mail: dict[str, Any] | None, rates: list[dict[str, Any]]) -> str:
    lines = [
        "| Benchmark | p50 ms | p95 ms | target p95 | CPU ms / request | SQL queries (large / small) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        verdict = "" if r.target_ms is None else (" ✓" if r.p95_ms <= r.target_ms else " ✗")
        target = f"≤ {r.target_ms:g}{verdict}" if r.target_ms else ""
        wrote = f" ({r.writes} writes!)" if r.writes else ""
        lines.append(
            f"| {r.name} | {r.p50_ms} | {r.p95_ms} | {target} | {r.cpu_ms}{wrote} | {r.queries} / {r.queries_small} |"
        )
    if mail:
        lines.append(
            f"\nEmail ingestion, one worker: {mail['per_second']} messages/s ({mail['messages']} in {mail['seconds']} s; "
            f"p50 {mail['p50_ms']} ms, p95 {mail['p95_ms']} ms, {mail['queries']} SQL and {mail['cpu_ms']} ms of CPU "
            f"per message, worker and database); target ≥ 200."
        )
    for rate in rates:
        lines.append(
            f"\nwrk through gunicorn, {rate['name']}: {rate['requests_per_second']} requests/s, "
            f"{rate['cpu_ms_per_request']} ms of CPU per request (workers and their database processes; "
            f"non-2xx: {rate['non_2xx']})."
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--emails", type=int, default=300)
    parser.add_argument("--no-wrk", action="store_true")
    parser.add_argument("--wrk-seconds", type=int, default=15)
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--only", help="only the pages whose name contains this (case-insensitive; several separated by |)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile the chosen pages instead of timing them"
    )
    parser.add_argument(
        "--peer",
        action="store_true",
        help="also measure django-helpdesk on the same data, side by side (python -m bench.peer)",
    )
    parser.add_argument("--peer-reload", action="store_true", help="load the data into the peer again")
    args = parser.parse_args()
    production_environment()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("collectstatic", interactive=False, verbosity=0)
    from bench import scenarios

    chosen = [
        s
        for s in scenarios.build()
        if not args.only or any(part.strip().lower() in s.name.lower() for part in args.only.split("|"))
    ]
    if args.profile:
        for scenario in chosen:
            print(profile(scenario, args.repeat))
        return
    results = [measure(scenario, args.repeat) for scenario in chosen]
    mail = ingestion(args.emails) if args.emails else None
    rates = [] if args.no_wrk else through_gunicorn(chosen, args.wrk_seconds, args.gunicorn_workers)
    summary = {
        "database": connection.vendor,
        "machine": f"{platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores",
        "load_average": os.getloadavg(),
        "data": data_size(),
        "pages": [asdict(r) for r in results],
        "ingestion": mail,
        "wrk": rates,
    }
    print(
        json.dumps(
            {k: summary[k] for k in ("database", "machine", "load_average", "data")}, ensure_ascii=False
        )
    )
    print(report(results, mail, rates))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    if args.peer:
        from bench.peer.runner import run

        print(run(args.wrk_seconds, args.gunicorn_workers, args.peer_reload))


if __name__ == "__main__":
    main()
