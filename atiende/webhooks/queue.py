"""Queue a webhook event inside the caller's transaction; deliver it after the commit.

This runs on every ticket change (mail ingestion included), almost always on installations
with no subscription at all. Which event types anyone subscribes to is therefore kept in
the cache, under a version that every change to a subscription replaces: a change with no
subscriber for its event costs one cache read and no query. A process that read the
subscriptions before a change stores its answer under the old version, which nobody reads.

This module imports no ticket code, so `accounts` may call it (`contacts.contact_created`),
as it calls the outbox.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from atiende.jobs import dispatch
from atiende.webhooks.models import WebhookDelivery, WebhookSubscription, new_webhook_id

VERSION_KEY = "webhooks:subscriptions:version"
TYPES_KEY = "webhooks:subscriptions:types"


def subscriptions_changed() -> None:
    """Forget which events have subscribers: now, and again when the change commits (a
    process reading between the two would otherwise keep the uncommitted past)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def subscribed_types() -> frozenset[str]:
    """The event types some active subscription wants."""
    found = cache.get_many([VERSION_KEY, TYPES_KEY])
    version, kept = found.get(VERSION_KEY), found.get(TYPES_KEY)
    if version is not None and isinstance(kept, tuple) and kept[0] == version:
        return frozenset(kept[1])
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    wanted = WebhookSubscription.objects.filter(is_active=True).values_list("event_types", flat=True)
    types = frozenset(str(name) for names in wanted for name in names)
    cache.set(TYPES_KEY, (version, types), None)
    return types


def wants(event_type: str) -> bool:
    return event_type in subscribed_types()


def envelope(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """The body every event shares: {type, timestamp, data}, as plain JSON values."""
    body = {"type": event_type, "timestamp": timezone.now().isoformat(), "data": data}
    loaded: dict[str, Any] = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
    return loaded


def queue(event_type: str, data: Callable[[], dict[str, Any]]) -> list[WebhookDelivery]:
    """Write one delivery per active subscription to `event_type` (the payload built by
    `data`, only when someone wants it) and deliver them once the caller commits. All
    deliveries of one event share its webhook-id."""
    if not wants(event_type):
        return []
    subscriptions = [
        subscription
        for subscription in WebhookSubscription.objects.filter(is_active=True)
        if event_type in subscription.event_types
    ]
    if not subscriptions:
        return []
    return queue_to(subscriptions, event_type, envelope(event_type, data()))


def queue_to(
    subscriptions: list[WebhookSubscription],
    event_type: str,
    payload: dict[str, Any],
    *,
    send_after_commit: bool = True,
) -> list[WebhookDelivery]:
    webhook_id = new_webhook_id()
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                subscription=subscription, event_type=event_type, webhook_id=webhook_id, payload=payload
            )
            for subscription in subscriptions
        ]
    )
    ids = [delivery.pk for delivery in deliveries]
    if send_after_commit:
        transaction.on_commit(lambda: dispatch.deliver_webhooks(ids))
    return deliveries
