"""Sending queued email in the background.

Several workers may be handed the same email (the after-commit task, the periodic retry, a
task redelivered after its worker died). Each one first claims the email by pushing its
`next_attempt_at` forward in a single conditional UPDATE; only the worker whose UPDATE
matched sends it. A worker that dies mid-send leaves the email pending, and the periodic
retry sends it once the claim has run out: nothing lost, nothing sent twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from atiende.outbox.models import EmailStatus, OutboundEmail
from atiende.outbox.outbox import deliver_ids


def claim(ids: Iterable[int]) -> list[int]:
    """The emails among `ids` that this worker may now send (pending, due, not claimed)."""
    now = timezone.now()
    until = now + datetime.timedelta(seconds=settings.ATIENDE_OUTBOX_CLAIM_SECONDS)
    pending_and_due = OutboundEmail.objects.filter(status=EmailStatus.PENDING, next_attempt_at__lte=now)
    return [pk for pk in ids if pending_and_due.filter(pk=pk).update(next_attempt_at=until)]


@shared_task(name="atiende.outbox.deliver", acks_late=True, reject_on_worker_lost=True)
def deliver(ids: list[int]) -> int:
    """Send these queued emails (after the change that queued them committed)."""
    return deliver_ids(claim(ids))


@shared_task(name="atiende.outbox.deliver_due")
def deliver_due(limit: int = 100) -> int:
    """Periodic: send what is pending and due, failed attempts retried with backoff."""
    due = OutboundEmail.objects.filter(status=EmailStatus.PENDING, next_attempt_at__lte=timezone.now())
    return deliver_ids(claim(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit]))
