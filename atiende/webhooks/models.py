"""Outgoing webhooks: who is told of what, and every delivery with its answer.

A delivery is written in the same transaction as the change it reports (like an outgoing
email) and sent afterwards, so a rolled-back change is never reported and a crash after
the commit loses nothing: the periodic retry sends what is still pending.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SECRET_PREFIX = "whsec_"  # noqa: S105 (the format's prefix, not a secret)


class EventType(models.TextChoices):
    TICKET_CREATED = "ticket.created", _("Ticket created")
    TICKET_UPDATED = "ticket.updated", _("Ticket changed")
    TICKET_CLOSED = "ticket.closed", _("Ticket closed")
    TICKET_MERGED = "ticket.merged", _("Ticket merged")
    MESSAGE_CREATED = "message.created", _("Message added (reply or internal note)")
    SLA_WARNING = "ticket.sla_warning", _("Service level at risk")
    SLA_BREACHED = "ticket.sla_breached", _("Service level breached")
    CONTACT_CREATED = "contact.created", _("Contact created")


TEST_EVENT = "webhook.test"


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def new_webhook_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class WebhookSubscription(models.Model):
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("URL"), max_length=500, help_text=_("Where the events are sent, by POST (http or https).")
    )
    # Kept readable (the signature needs it) but never shown after it is created.
    secret = models.CharField(_("secret"), max_length=100, default=new_secret)
    event_types = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    failure_count = models.PositiveIntegerField(
        _("failures in a row"), default=0, help_text=_("Deliveries that failed since the last success.")
    )
    disabled_at = models.DateTimeField(_("turned off automatically"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        from atiende.webhooks.queue import subscriptions_changed

        super().save(*args, **kwargs)
        subscriptions_changed()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        from atiende.webhooks.queue import subscriptions_changed

        deleted = super().delete(*args, **kwargs)
        subscriptions_changed()
        return deleted


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Delivered")
    FAILED = "failed", _("Failed (will not retry)")


class WebhookDelivery(models.Model):
    subscription = models.ForeignKey(
        WebhookSubscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    event_type = models.CharField(_("event"), max_length=40)
    # The same for every attempt, so a receiver recognises a retry it already handled.
    webhook_id = models.CharField(_("webhook-id"), max_length=60)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    request_headers = models.JSONField(_("request headers"), default=dict, blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_body = models.TextField(_("response (start)"), blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    if TYPE_CHECKING:
        subscription_id: int

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "webhook_id"], name="webhook_delivery_once")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due")]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id} ({self.webhook_id})"
