"""WhatsApp Business numbers, what Meta posts to them (stored raw first), the messages
that came in and the ones queued to go out.

Every webhook body is a `WebhookDelivery` before anything else happens to it. Each message
in it becomes one `InboundMessage`, unique by WhatsApp's id (`wamid`), written in the same
transaction as the ticket message it produced: a delivery processed twice adds nothing.
Messages from unknown numbers are held (`HELD`) until an agent says who wrote them.
Outgoing messages are `OutboundMessage` rows queued in the transaction of the reply that
causes them and sent by a task that claims them first, like the email outbox.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import Contact, Organization
from atiende.tickets.models import Message, Queue, Ticket


class WhatsAppNumber(models.Model):
    """One WhatsApp Business phone number, with its webhook address and its Graph API keys."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    display_phone = models.CharField(_("phone number"), max_length=20, help_text=_("e.g. +57 601 555 0100"))
    phone_number_id = models.CharField(
        _("phone number id"), max_length=40, unique=True, help_text=_("From Meta's WhatsApp Manager.")
    )
    business_account_id = models.CharField(_("business account id"), max_length=40, blank=True)
    access_token = models.TextField(_("access token"), blank=True)
    app_secret = models.CharField(
        _("app secret"), max_length=200, help_text=_("Checks the signature of every webhook delivery.")
    )
    verify_token = models.CharField(
        _("verify token"),
        max_length=200,
        help_text=_("Any secret text; Meta sends it back when the webhook address is verified."),
    )
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="+", verbose_name=_("queue"))
    default_company = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default company"),
        help_text=_(
            "For contacts of several companies, their tickets by WhatsApp go to this one when they "
            "belong to it (otherwise to their primary company); offered first when an agent registers "
            "an unknown number."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_received_at = models.DateTimeField(_("last delivery"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("WhatsApp number")
        verbose_name_plural = _("WhatsApp numbers")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.display_phone})"


class DeliveryStatus(models.TextChoices):
    RECEIVED = "received", _("Received, not processed yet")
    PROCESSED = "processed", _("Processed")
    QUARANTINED = "quarantined", _("Quarantined")
    DISCARDED = "discarded", _("Discarded")


class WebhookDelivery(models.Model):
    """A webhook body exactly as Meta posted it (its signature checked)."""

    number = models.ForeignKey(
        WhatsAppNumber, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("number")
    )
    raw = models.BinaryField(_("raw body"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.RECEIVED
    )
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        verbose_name = _("WhatsApp webhook delivery")
        verbose_name_plural = _("WhatsApp webhook deliveries")
        ordering = ["-received_at"]
        constraints = [
            # Meta repeats a delivery it thinks failed: the same bytes are stored once.
            models.UniqueConstraint(fields=["number", "sha256"], name="whatsapp_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.number.name} {self.received_at:%Y-%m-%d %H:%M} ({self.status})"


class InboundState(models.TextChoices):
    FILED = "filed", _("Filed on a ticket")
    HELD = "held", _("Held: unknown number")


class InboundMessage(models.Model):
    """One message a person sent to a number; its wamid makes processing idempotent."""

    wamid = models.CharField(_("WhatsApp message id"), max_length=200, unique=True)
    number = models.ForeignKey(
        WhatsAppNumber, on_delete=models.PROTECT, related_name="inbound", verbose_name=_("number")
    )
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.PROTECT, related_name="messages", verbose_name=_("delivery")
    )
    phone = models.CharField(_("from"), max_length=20, db_index=True, help_text=_("E.164"))
    profile_name = models.CharField(_("WhatsApp name"), max_length=200, blank=True)
    kind = models.CharField(_("type"), max_length=20)
    payload = models.JSONField(_("message"))
    sent_at = models.DateTimeField(_("sent"))
    state = models.CharField(_("state"), max_length=8, choices=InboundState.choices)
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("contact")
    )
    message = models.OneToOneField(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="whatsapp_inbound",
        verbose_name=_("ticket message"),
    )

    class Meta:
        verbose_name = _("incoming WhatsApp message")
        verbose_name_plural = _("incoming WhatsApp messages")
        ordering = ["sent_at", "pk"]
        indexes = [models.Index(fields=["state", "phone"], name="whatsapp_inbound_held")]

    def __str__(self) -> str:
        return f"{self.phone} {self.kind} ({self.state})"


class OutboundStatus(models.TextChoices):
    PENDING = "pending", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")
    FAILED = "failed", _("Failed")


class OutboundKind(models.TextChoices):
    TEXT = "text", _("Text")
    DOCUMENT = "document", _("File")
    TEMPLATE = "template", _("Template")


class OutboundMessage(models.Model):
    """A message queued to a contact's WhatsApp with the reply that causes it."""

    number = models.ForeignKey(
        WhatsAppNumber, on_delete=models.PROTECT, related_name="outbound", verbose_name=_("number")
    )
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+", verbose_name=_("ticket"))
    message = models.ForeignKey(
        Message,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="whatsapp_outbound",
        verbose_name=_("ticket message"),
    )
    to = models.CharField(_("to"), max_length=20, help_text=_("E.164"))
    kind = models.CharField(_("type"), max_length=10, choices=OutboundKind.choices)
    payload = models.JSONField(_("what is sent"))
    dedupe_key = models.CharField(_("dedupe key"), max_length=120, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboundStatus.choices, default=OutboundStatus.PENDING
    )
    wamid = models.CharField(_("WhatsApp message id"), max_length=200, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    sending_since = models.DateTimeField(
        _("sending since"),
        null=True,
        blank=True,
        help_text=_("Set while a worker sends it; still set after a crash, when Meta's answer was lost."),
    )
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    status_at = models.DateTimeField(_("status changed"), null=True, blank=True)

    if TYPE_CHECKING:
        ticket_id: int
        message_id: int | None

    class Meta:
        verbose_name = _("outgoing WhatsApp message")
        verbose_name_plural = _("outgoing WhatsApp messages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="whatsapp_outbound_due")]

    def __str__(self) -> str:
        return f"{self.to} {self.kind} ({self.status})"


class TemplateUse(models.TextChoices):
    RECEIVED = "received", _("We received your ticket #N")
    NEW_REPLY = "new_reply", _("New reply on your ticket #N")
    WAITING = "waiting", _("Your ticket #N waits for your answer")
    RESOLVED = "resolved", _("Your ticket was resolved")
    REOPENED = "reopened", _("Your ticket #N was reopened")
    CLOSED = "closed", _("Your ticket #N was closed")
    STAGE = "stage", _("Your ticket #N changed stage")


class MessageTemplate(models.Model):
    """A template Meta approved, mapped to what it is used for: outside the 24-hour window
    only these may be sent. A use may have several (the agent chooses among the reply
    templates; notices take the one in the contact's language)."""

    number = models.ForeignKey(
        WhatsAppNumber, on_delete=models.CASCADE, related_name="templates", verbose_name=_("number")
    )
    use = models.CharField(_("use"), max_length=20, choices=TemplateUse.choices)
    name = models.CharField(_("template name"), max_length=120, help_text=_("As approved by Meta."))
    language = models.CharField(
        _("language"), max_length=10, default="es", help_text=_("e.g. es, es_MX, en_US")
    )
    approved = models.BooleanField(
        _("approved by Meta"),
        default=True,
        help_text=_("Only approved templates are offered and sent; clear it while Meta reviews a change."),
    )
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_("The template's text as Meta approved it, with {{1}}, {{2}}…: agents see it filled in."),
    )
    parameters = models.JSONField(
        _("parameters"),
        default=list,
        blank=True,
        help_text=_(
            'The body\'s {{1}}, {{2}}… in order, from: "number", "subject", "link", "name", "text". '
            'E.g. ["number", "link"].'
        ),
    )

    class Meta:
        verbose_name = _("WhatsApp template")
        verbose_name_plural = _("WhatsApp templates")
        ordering = ["number", "use", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "use", "name", "language"], name="whatsapp_template_mapped_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language}) → {self.get_use_display()}"
