"""The monthly reviews' sending (the schedule runs it by name)."""

from __future__ import annotations

from celery import shared_task

from atiende.reviews.actions import send_due_reviews


@shared_task(name="atiende.reviews.send_due")
def send_due() -> dict[str, int]:
    """Send the previous month's reviews when today is the month's first working day."""
    return {"sent": len(send_due_reviews())}
