"""Outgoing email, written in the same transaction as the change that causes it and
sent afterwards, so a crash never loses a notice nor sends one that was rolled back."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (will not retry)")


class OutboundEmail(models.Model):
    kind = models.CharField(
        _("kind"), max_length=40, help_text=_("What the email is about, e.g. ticket_opened.")
    )
    dedupe_key = models.CharField(
        _("dedupe key"),
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Two emails with the same key are never queued."),
    )
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    to = models.JSONField(_("to"), default=list)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    render = models.JSONField(
        _("to render"),
        default=dict,
        blank=True,
        help_text=_(
            "An email queued unrendered: its template, language and the rows it names. "
            "It is rendered when it is sent."
        ),
    )
    ticket_number = models.BigIntegerField(_("ticket"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.kind} → {', '.join(self.to)}"
