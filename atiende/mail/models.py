"""Every message that arrives is stored raw before anything else happens to it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboundStatus(models.TextChoices):
    RECEIVED = "received", _("Received, not processed yet")
    PROCESSED = "processed", _("Processed")
    IGNORED = "ignored", _("Ignored")
    QUARANTINED = "quarantined", _("Quarantined")


class InboundEmail(models.Model):
    raw = models.BinaryField(_("raw message"))
    source = models.CharField(
        _("source"), max_length=80, help_text=_("e.g. pipe, or the mailbox it came from")
    )
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True, db_index=True)
    fingerprint = models.CharField(
        _("fingerprint"),
        max_length=300,
        unique=True,
        help_text=_("Message-ID, or the content hash without one."),
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=InboundStatus.choices, default=InboundStatus.RECEIVED
    )
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    ticket_number = models.BigIntegerField(_("ticket"), null=True, blank=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        verbose_name = _("incoming email")
        verbose_name_plural = _("incoming emails")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.message_id or self.fingerprint[:20]} ({self.status})"
