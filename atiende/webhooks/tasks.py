"""Sending webhook deliveries in the background, claimed like outgoing email: a worker
first pushes a delivery's `next_attempt_at` forward in one conditional UPDATE, and only
the worker whose UPDATE matched sends it (the after-commit task, the periodic retry and
a redelivered task never send the same attempt twice)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from atiende.webhooks.delivery import deliver_ids
from atiende.webhooks.models import DeliveryStatus, WebhookDelivery


def claim(ids: Iterable[int]) -> list[int]:
    """The deliveries among `ids` this worker may now send (pending, due, not claimed)."""
    now = timezone.now()
    until = now + datetime.timedelta(seconds=settings.ATIENDE_WEBHOOKS_CLAIM_SECONDS)
    due = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    return [pk for pk in ids if due.filter(pk=pk).update(next_attempt_at=until)]


@shared_task(name="atiende.webhooks.deliver", acks_late=True, reject_on_worker_lost=True)
def deliver(ids: list[int]) -> int:
    """Send these deliveries (after the change that queued them committed)."""
    return deliver_ids(claim(ids))


@shared_task(name="atiende.webhooks.deliver_due")
def deliver_due(limit: int = 100) -> int:
    """Periodic: send what is pending and due, failed attempts retried with backoff."""
    due = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now())
    return deliver_ids(claim(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit]))
