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


def writes(statements: list[str]) -> list[str]:
    """The statements that change data. Declared cursors and savepoints are not writes."""
    return [sql for sql in statements if WRITES.match(sql)]
