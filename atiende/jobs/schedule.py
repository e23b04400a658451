"""Which periodic jobs run, and how often.

`settings.ATIENDE_PERIODIC_JOBS` maps a task name to its interval in seconds (0 turns the job
off). A job named `<package>.<action>` is defined in `<package>/tasks.py`, e.g.
`@shared_task(name="atiende.mail.poll")` in `atiende/mail/tasks.py`. A job whose module does
not exist (yet) is left out of the schedule, so beat and workers start without it.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from django.conf import settings


def task_module(name: str) -> str:
    return f"{name.rsplit('.', 1)[0]}.tasks"


def _module_exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package is missing too
        return False


def interval_of(name: str) -> int:
    """Seconds between runs of a periodic job; 0 when the task is not periodic."""
    return max(int(settings.ATIENDE_PERIODIC_JOBS.get(name, 0)), 0)


def lock_seconds(interval: int) -> int:
    """How long a run may hold its lock. The worker's hard time limit is the same, so a run
    that hangs is stopped before another may start."""
    return max(5 * interval, settings.ATIENDE_JOB_MAX_SECONDS)


def periodic_jobs() -> dict[str, int]:
    """The enabled periodic jobs whose task module exists, with their intervals."""
    return {
        name: interval_of(name)
        for name in settings.ATIENDE_PERIODIC_JOBS
        if interval_of(name) > 0 and _module_exists(task_module(name))
    }


def task_modules() -> list[str]:
    return sorted({task_module(name) for name in periodic_jobs()})


def beat_schedule() -> dict[str, dict[str, Any]]:
    return {
        name: {
            "task": name,
            "schedule": float(seconds),
            # A tick nobody picked up before the next one is dropped, not piled up.
            "options": {"expires": float(seconds), "time_limit": lock_seconds(seconds)},
        }
        for name, seconds in periodic_jobs().items()
    }
