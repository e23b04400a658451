"""Sending a webhook: a signed POST, retried with growing delays for up to a day.

Each attempt is signed afresh (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
`webhook-signature: v1,<base64 HMAC-SHA256>`) with the same webhook-id, so a receiver that
already handled an event recognises the retry. A 2xx answer is success; anything else,
a redirect included (never followed), is a failed attempt, retried after 1, 2, 4…
minutes until `ATIENDE_WEBHOOKS_RETRY_HOURS` have passed since it was queued; then the
delivery has failed. A subscription whose deliveries failed `ATIENDE_WEBHOOKS_DISABLE_AFTER`
times in a row is turned off and the administrators are emailed.
"""

from __future__ import annotations

import datetime
import json
import logging
import ssl
from collections.abc import Iterable, Sequence

import certifi
import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook

from atiende.accounts.models import AgentRole, User
from atiende.outbox.outbox import Recipient, enqueue_each
from atiende.webhooks import destinations
from atiende.webhooks.models import (
    TEST_EVENT,
    DeliveryStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from atiende.webhooks.queue import envelope, queue_to

logger = logging.getLogger("atiende.webhooks")
EXCERPT_BYTES = 2048
USER_AGENT = "Atiende-Webhooks/1"


def body_of(delivery: WebhookDelivery) -> bytes:
    """The bytes sent and signed: the same on every attempt."""
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def signed_headers(delivery: WebhookDelivery, body: bytes, at: datetime.datetime) -> dict[str, str]:
    signature = Webhook(delivery.subscription.secret).sign(delivery.webhook_id, at, body)
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": delivery.webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


def post(destination: destinations.Destination, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """POST to the checked address (the URL's own name in Host and for TLS), without
    redirects or proxies; the status and the first bytes of the answer."""
    url = destination.url.copy_with(host=destination.address)
    extensions = {"sni_hostname": destination.host} if destination.url.scheme == "https" else {}
    timeout = httpx.Timeout(settings.ATIENDE_WEBHOOKS_TIMEOUT_SECONDS, connect=5.0)
    with (
        httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False, verify=_tls()) as client,
        client.stream(
            "POST",
            url,
            content=body,
            headers={**headers, "host": destination.url.netloc.decode("ascii")},
            extensions=extensions,
        ) as response,
    ):
        excerpt = b""
        for chunk in response.iter_raw():
            excerpt += chunk
            if len(excerpt) >= EXCERPT_BYTES:
                break
        return response.status_code, excerpt[:EXCERPT_BYTES].decode("utf-8", "replace")


def _tls() -> ssl.SSLContext:
    """Certificates are checked against the URL's own name (sent as SNI above, although the
    connection goes to the checked address), trusting the public authorities and those of
    `ATIENDE_WEBHOOKS_CA_BUNDLE`."""
    context = ssl.create_default_context(cafile=certifi.where())
    if settings.ATIENDE_WEBHOOKS_CA_BUNDLE:
        context.load_verify_locations(cafile=settings.ATIENDE_WEBHOOKS_CA_BUNDLE)
    return context


def retry_delay(attempts: int) -> datetime.timedelta:
    """After the given number of failed attempts: 1, 2, 4, 8… minutes."""
    return datetime.timedelta(minutes=2 ** max(attempts - 1, 0))


def deliver(delivery: WebhookDelivery, *, manual: bool = False) -> int:
    """One attempt now; returns 1 when the receiver answered 2xx. `manual` (the admin's
    test event or "deliver again") sends even to a subscription that is turned off."""
    subscription = delivery.subscription
    now = timezone.now()
    if not subscription.is_active and not manual:
        delivery.status = DeliveryStatus.FAILED
        delivery.last_error = "The subscription is turned off."
        delivery.save(update_fields=["status", "last_error"])
        return 0
    body = body_of(delivery)
    delivery.request_headers = signed_headers(delivery, body, now)
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_code = None
    delivery.response_body = ""
    try:
        destination = destinations.check(subscription.url)
        delivery.response_code, delivery.response_body = post(destination, body, delivery.request_headers)
    except destinations.RefusedDestination as refused:
        delivery.last_error = refused.message
    except httpx.HTTPError as error:
        delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
    else:
        delivery.last_error = "" if 200 <= delivery.response_code < 300 else f"HTTP {delivery.response_code}"
    fields = [
        "request_headers",
        "attempts",
        "last_attempt_at",
        "response_code",
        "response_body",
        "last_error",
    ]
    if delivery.response_code is not None and 200 <= delivery.response_code < 300:
        delivery.status = DeliveryStatus.SENT
        delivery.delivered_at = now
        delivery.save(update_fields=[*fields, "status", "delivered_at"])
        if subscription.failure_count and delivery.event_type != TEST_EVENT:
            WebhookSubscription.objects.filter(pk=subscription.pk).update(failure_count=0)
        return 1
    delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    gives_up = delivery.next_attempt_at > delivery.created_at + datetime.timedelta(
        hours=settings.ATIENDE_WEBHOOKS_RETRY_HOURS
    )
    if gives_up or delivery.event_type == TEST_EVENT:
        delivery.status = DeliveryStatus.FAILED
    delivery.save(update_fields=[*fields, "status", "next_attempt_at"])
    logger.warning(
        "webhooks.failed id=%s subscription=%s attempt=%s error=%s",
        delivery.pk,
        subscription.pk,
        delivery.attempts,
        delivery.last_error,
    )
    if delivery.status == DeliveryStatus.FAILED and delivery.event_type != TEST_EVENT and not manual:
        delivery_failed(subscription)
    return 0


def delivery_failed(subscription: WebhookSubscription) -> None:
    """Count a delivery that failed for good; at the limit, turn the subscription off,
    give up its waiting deliveries and tell the administrators."""
    with transaction.atomic():
        locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
        locked.failure_count += 1
        if not locked.is_active or locked.failure_count < settings.ATIENDE_WEBHOOKS_DISABLE_AFTER:
            WebhookSubscription.objects.filter(pk=locked.pk).update(failure_count=locked.failure_count)
            return
        locked.is_active = False
        locked.disabled_at = timezone.now()
        locked.save(update_fields=["failure_count", "is_active", "disabled_at"])
        locked.deliveries.filter(status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.FAILED,
            last_error="The subscription was turned off after repeated failures.",
        )
        tell_admins(locked)
    logger.warning("webhooks.disabled subscription=%s failures=%s", locked.pk, locked.failure_count)


def admins() -> list[User]:
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(agent__role=AgentRole.ADMIN))
        .distinct()
        .order_by("pk")
    )


def tell_admins(subscription: WebhookSubscription) -> None:
    stamp = subscription.disabled_at.isoformat() if subscription.disabled_at else ""
    enqueue_each(
        "webhook_disabled",
        [
            (
                Recipient(user.email, user.language),
                f"webhook-disabled:{subscription.pk}:{stamp}:{user.pk}"[:120],
            )
            for user in admins()
        ],
        {
            "subscription": subscription,
            "failures": subscription.failure_count,
            "link": settings.ATIENDE_BASE_URL
            + reverse("admin:webhooks_webhooksubscription_change", args=[subscription.pk]),
        },
        kind="webhook_disabled",
    )


def deliver_ids(ids: Sequence[int]) -> int:
    """Send these deliveries if still pending; returns how many arrived."""
    delivered = 0
    pending = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).select_related("subscription")
    for pk in sorted(ids):
        # Read one by one: an earlier delivery of the batch may have turned its
        # subscription off (and given up the rest) a moment ago.
        delivery = pending.filter(pk=pk).first()
        if delivery is not None:
            delivered += deliver(delivery)
    return delivered


def deliver_again(deliveries: Iterable[WebhookDelivery]) -> int:
    """The administrator's "deliver again": each one sent now, with its webhook-id."""
    delivered = 0
    for delivery in deliveries:
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = timezone.now()
        delivered += deliver(delivery, manual=True)
    return delivered


def send_test(subscription: WebhookSubscription) -> WebhookDelivery:
    """A `webhook.test` event sent now to this subscription (not retried)."""
    payload = envelope(TEST_EVENT, {"subscription": {"id": subscription.pk, "name": subscription.name}})
    with transaction.atomic():
        (delivery,) = queue_to([subscription], TEST_EVENT, payload, send_after_commit=False)
    deliver(delivery, manual=True)
    return delivery
