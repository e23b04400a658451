"""The one Celery application.

With a broker (`CELERY_BROKER_URL`, or `REDIS_URL`), tasks go to workers and periodic jobs
come from a single `celery -A atiende beat`. Without one, tasks run in-process (eager) and
`atiende run_periodic` runs the same schedule in a loop (the demo starts it for you).
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atiende.settings")

app = Celery("atiende", task_cls="atiende.jobs.base:JobTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _schedule_periodic_jobs(sender: Celery, **kwargs: Any) -> None:
    # Import here: the schedule reads Django settings, which are not ready at import time.
    from atiende.jobs.schedule import beat_schedule, task_modules

    sender.conf.beat_schedule = {**beat_schedule(), **(sender.conf.beat_schedule or {})}
    sender.conf.imports = sorted({*task_modules(), *(sender.conf.imports or ())})
