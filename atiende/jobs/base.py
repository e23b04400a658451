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
    (two beats by mistake, a tick that overlaps a slow run, a manual run meanwhile).

    A run sent by beat or the in-process runner is also skipped when another started less
    than half an interval ago (a second beat's tick for the same period); a plain function
    call (a command, a test) only needs no other run to be going on.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        interval = schedule.interval_of(self.name)
        if not interval:
            return super().__call__(*args, **kwargs)
        hold = schedule.lock_seconds(interval)
        min_gap = 0 if self.request.called_directly else interval / 2
        with exclusive_run(self.name, hold=hold, min_gap=min_gap) as acquired:
            if not acquired:
                logger.info("job.skipped name=%s reason=another run holds the lock", self.name)
                return None
            return super().__call__(*args, **kwargs)
