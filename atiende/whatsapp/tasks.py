"""WhatsApp's background work: process stored webhook bodies, send queued messages."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from atiende.whatsapp import inbound, outbound
from atiende.whatsapp.models import OutboundMessage, OutboundStatus, WebhookDelivery


@shared_task(name="atiende.whatsapp.process", acks_late=True, reject_on_worker_lost=True)
def process(delivery_id: int) -> str:
    """File the messages of one stored webhook body (after the request that stored it)."""
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
    return inbound.process(delivery).status if delivery is not None else "missing"


@shared_task(name="atiende.whatsapp.process_pending")
def process_pending() -> int:
    """Periodic: bodies stored but never processed (a worker died in between)."""
    return inbound.process_pending()


@shared_task(name="atiende.whatsapp.deliver", acks_late=True, reject_on_worker_lost=True)
def deliver(ids: list[int]) -> int:
    return outbound.deliver_ids(outbound.claim(ids))


@shared_task(name="atiende.whatsapp.deliver_due")
def deliver_due(limit: int = 100) -> int:
    """Periodic: send what is pending and due, failed attempts retried with backoff."""
    due = OutboundMessage.objects.filter(status=OutboundStatus.PENDING, next_attempt_at__lte=timezone.now())
    return outbound.deliver_ids(
        outbound.claim(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    )
