"""The periodic jobs without a broker: one process runs the beat schedule itself.

Used by the demo (`make run`) and by small installations with no Redis. Each job runs
through its Celery task, in this process, under the same lock as on a worker.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.db import close_old_connections

from atiende.celery import app
from atiende.jobs.schedule import periodic_jobs

logger = logging.getLogger("atiende.jobs")


def runnable_jobs() -> dict[str, int]:
    """The scheduled jobs whose task is defined, with their intervals."""
    app.loader.import_default_modules()
    jobs = {}
    for name, interval in periodic_jobs().items():
        if name in app.tasks:
            jobs[name] = interval
        else:
            logger.warning("job.missing name=%s: its module defines no task of that name", name)
    return jobs


def run_job(name: str) -> bool:
    """Run one job now, in this process. A failure is logged, never raised: the next tick
    tries again."""
    close_old_connections()
    started = time.monotonic()
    try:
        result = app.tasks[name].apply(throw=False)
    finally:
        close_old_connections()
    if result.failed():
        logger.error("job.failed name=%s\n%s", name, result.traceback)
        return False
    logger.debug("job.done name=%s seconds=%.2f", name, time.monotonic() - started)
    return True


def run_forever(jobs: dict[str, int], stop: threading.Event, *, run: Callable[[str], bool] = run_job) -> None:
    """Run every job now and then every `interval` seconds, until `stop` is set."""
    next_run = dict.fromkeys(jobs, time.monotonic())
    while not stop.is_set():
        for name, interval in jobs.items():
            if stop.is_set():
                return
            if next_run[name] <= time.monotonic():
                run(name)
                next_run[name] = time.monotonic() + interval
        if next_run:
            stop.wait(max(min(next_run.values()) - time.monotonic(), 0.05))
        else:
            stop.wait()
