"""The base class of every Atiende task: periodic jobs run under their lock."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from celery import Task

from atiende.jobs import schedule
from atiende.jobs.locks import exclusive_run

logger = logging.getLogger("atiende.jobs")

if TYPE_CHECKING:
    _Task = Task[Any, Any]
else:
    _Task = Task


class JobTask(_Task):
    """Runs the task; when it is a periodic job, only if no other run of it holds the lock
    (two beats by mistake, a tick that overlaps a slow run, a manual run meanwhile)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        interval = schedule.interval_of(self.name)
        if not interval:
            return super().__call__(*args, **kwargs)
        hold = schedule.lock_seconds(interval)
        with exclusive_run(self.name, hold=hold, min_gap=interval / 2) as acquired:
            if not acquired:
                logger.info("job.skipped name=%s reason=another run holds the lock", self.name)
                return None
            return super().__call__(*args, **kwargs)
