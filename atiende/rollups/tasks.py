"""Keeping the daily figures current (the schedule runs it by name)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from atiende.rollups.compute import roll_up_days


@shared_task(name="atiende.rollups.roll_up")
def roll_up() -> dict[str, int]:
    """Recount today and yesterday: yesterday's last events may have committed after
    yesterday's last run."""
    today = timezone.localdate()
    return {"rows": roll_up_days(today - datetime.timedelta(days=1), today)}
