"""The small-scale check CI runs on PostgreSQL, on data from `bench.generate`:

- every benchmarked page makes as many SQL queries for a big case as for a small one
  (a busy queue and a quiet one, a 50-message thread and a short one…), prefetches by key
  aside (one query or none, whatever the number of rows);
- no query of a benchmarked list or search reads the ticket, message or search tables
  with a sequential scan (EXPLAIN of every query the page made);
- no benchmarked page, visited again, writes to the database (a GET writes nothing).

It also prints each page's CPU per request (Django plus the PostgreSQL backend): a figure
to read, not a gate, so a busy machine never fails the check.

    python -m bench.check        # exit status 1 and the reasons when a check fails
"""

from __future__ import annotations

import re
import sys
from typing import Any

from bench import setup_django
from bench.cpu import CpuMeter, writes
from bench.run import production_environment

# The tables that grow into the millions. Attachments are left out at this scale: at
# 20,000 tickets their table is small enough that PostgreSQL may rightly read it whole,
# and which plan it picks varies with the statistics ANALYZE happened to sample.
BIG_TABLES = ("tickets_ticket", "tickets_message")
SEQ_SCAN = re.compile(r"Seq Scan on (" + "|".join(BIG_TABLES) + r")\b")
DECLARE = re.compile(r"^DECLARE .*? CURSOR WITH(?:OUT)? HOLD FOR ", re.DOTALL)


def captured(case: Any) -> list[str]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers=case.headers)
    client.force_login(case.user)
    client.get(case.address())  # first visit: sessions, seen marks and caches settle
    connection.queries_log.clear()
    case.prepare()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(case.address())
    assert response.status_code == case.status, f"{case.url}: {response.status_code}, not {case.status}"
    return [query["sql"] for query in queries.captured_queries]


def cpu_per_request(case: Any, repeat: int = 10) -> float:
    from django.test import Client

    client = Client(headers=case.headers)
    client.force_login(case.user)
    client.get(case.address())
    with CpuMeter() as meter:
        for _ in range(repeat):
            case.prepare()
            client.get(case.address())
    return meter.milliseconds / repeat


# A prefetch (`… WHERE "table"."id" IN (…)`) is one query whatever the number of rows,
# and none when no row has the relation (no listed ticket assigned, say): it may be
# missing on one side without the count growing with the rows.
PREFETCH = re.compile(r'WHERE \(?"\w+"\."id"\)? IN \(\(?\d')


def _counted(queries: list[str]) -> int:
    return sum(1 for sql in queries if not PREFETCH.search(sql))


def sequential_scans(sql: str) -> list[str]:
    from django.db import connection

    statement = DECLARE.sub("", sql)
    if not statement.lstrip().upper().startswith("SELECT") or not any(t in statement for t in BIG_TABLES):
        return []
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + statement)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return SEQ_SCAN.findall(plan)


def main() -> int:
    production_environment()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from bench import scenarios

    # Production pages name their static files through the manifest: a clean machine has
    # none until collectstatic runs (bench.run does the same).
    call_command("collectstatic", interactive=False, verbosity=0)

    if connection.vendor != "postgresql":
        print("bench.check needs PostgreSQL (DATABASE_URL)")
        return 2
    failures: list[str] = []
    for scenario in scenarios.build():
        large = captured(scenario.large)
        small = captured(scenario.small)
        cpu = cpu_per_request(scenario.large)
        line = f"{scenario.name}: {len(large)} / {len(small)} queries, {cpu:.1f} ms CPU per request"
        if _counted(large) != _counted(small):
            failures.append(f"{line} — not constant ({scenario.large.url} vs {scenario.small.url})")
        for sql in writes(large + small):
            failures.append(f"{scenario.name}: a GET wrote to the database:\n    {sql[:300]}")
        if scenario.listing:
            for sql in large + small:
                scans = sequential_scans(sql)
                if not scans:
                    continue
                failures.append(f"{scenario.name}: sequential scan on {', '.join(scans)} in\n    {sql[:300]}")
        print(line)
    for failure in failures:
        print("FAIL", failure)
    print("bench check:", "failed" if failures else "passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
