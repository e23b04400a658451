"""CPU time spent serving requests: this process's (Django, in process) plus the database
backend's serving this connection (PostgreSQL runs each connection in its own process,
whose user and system time `/proc/<pid>/stat` gives). Unlike wall-clock time, the sum
hardly moves when other programs keep the machine busy."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def backend_pid() -> int | None:
    """The PostgreSQL process serving Django's default connection; None elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def process_seconds(pid: int) -> float:
    """User plus system time of another process, from /proc (fields 14 and 15 of stat,
    counted after the command name, which may hold spaces)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND


class CpuMeter:
    """`with CpuMeter() as meter: …` then `meter.milliseconds`: this process's CPU plus the
    database backend's, over the block."""

    def __init__(self) -> None:
        self.pid = backend_pid()
        self.milliseconds = 0.0

    def _now(self) -> float:
        return time.process_time() + (process_seconds(self.pid) if self.pid else 0.0)

    def __enter__(self) -> CpuMeter:
        self._started = self._now()
        return self

    def __exit__(self, *exc: object) -> None:
        self.milliseconds = (self._now() - self._started) * 1000


def children(pid: int) -> list[int]:
    """The direct child processes of `pid` (a gunicorn master's workers)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def database_backends(database: str | None = None) -> set[int]:
    """The PostgreSQL processes serving other connections to this database, or to the
    named one on the same server (the web workers' persistent connections); empty
    elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = coalesce(%s, current_database()) "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
            [database],
        )
        return {int(row[0]) for row in cursor.fetchall()}


class ServerMeter:
    """CPU of a web server's workers and of the database processes serving them, over a
    block (a wrk run): `with ServerMeter(master_pid) as meter: …` then `meter.seconds`.
    Connections that open during the block count in full; a process that exits during
    it loses what it spent (the workers keep their connections, so none should)."""

    def __init__(self, master: int, database: str | None = None) -> None:
        self.master = master
        self.database = database  # another database on the same server (a peer's)
        self.seconds = 0.0

    def _pids(self) -> set[int]:
        return set(children(self.master)) | database_backends(self.database)

    def _spent(self, pids: set[int]) -> dict[int, float]:
        spent = {}
        for pid in pids:
            try:
                spent[pid] = process_seconds(pid)
            except (FileNotFoundError, ProcessLookupError):
                continue
        return spent

    def __enter__(self) -> ServerMeter:
        self._before = self._spent(self._pids())
        return self

    def __exit__(self, *exc: object) -> None:
        after = self._spent(self._pids() | set(self._before))
        self.seconds = sum(total - self._before.get(pid, 0.0) for pid, total in after.items())


def writes(statements: list[str]) -> list[str]:
    """The statements that change data. Declared cursors and savepoints are not writes."""
    return [sql for sql in statements if WRITES.match(sql)]
