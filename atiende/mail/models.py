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


class MailboxSecurity(models.TextChoices):
    SSL = "ssl", _("IMAPS (TLS from the start, port 993)")
    STARTTLS = "starttls", _("STARTTLS (port 143)")
    NONE = "none", _("None (loopback or tests only)")


class MailboxAuth(models.TextChoices):
    PASSWORD = "password", _("Password")
    XOAUTH2 = "xoauth2", _("OAuth 2 (Microsoft 365, Google Workspace)")


class Mailbox(models.Model):
    """An IMAP mailbox polled for new mail; what arrives goes to its queue."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    queue = models.ForeignKey(
        "tickets.Queue", on_delete=models.PROTECT, related_name="mailboxes", verbose_name=_("queue")
    )
    host = models.CharField(_("server"), max_length=200)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(
        _("security"), max_length=10, choices=MailboxSecurity.choices, default=MailboxSecurity.SSL
    )
    username = models.CharField(_("user name"), max_length=200)
    auth = models.CharField(
        _("sign-in"), max_length=10, choices=MailboxAuth.choices, default=MailboxAuth.PASSWORD
    )
    password = models.CharField(_("password"), max_length=300, blank=True)
    oauth_token_url = models.URLField(
        _("OAuth token endpoint"),
        max_length=300,
        blank=True,
        help_text=_(
            "e.g. https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token or "
            "https://oauth2.googleapis.com/token"
        ),
    )
    oauth_client_id = models.CharField(_("OAuth client id"), max_length=300, blank=True)
    oauth_client_secret = models.CharField(_("OAuth client secret"), max_length=300, blank=True)
    oauth_refresh_token = models.TextField(_("OAuth refresh token"), blank=True)
    oauth_scope = models.CharField(_("OAuth scope"), max_length=300, blank=True)
    oauth_access_token = models.TextField(_("OAuth access token"), blank=True, editable=False)
    oauth_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    move_to = models.CharField(
        _("move processed mail to"),
        max_length=200,
        blank=True,
        help_text=_("Empty: stored messages are flagged as seen and stay in the folder."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.username})"


class InboundEmail(models.Model):
    raw = models.BinaryField(_("raw message"))
    source = models.CharField(
        _("source"), max_length=80, help_text=_("e.g. pipe, or the mailbox it came from")
    )
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("mailbox")
    )
    sender = models.CharField(_("sender"), max_length=254, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
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
        indexes = [models.Index(fields=["sender", "received_at"], name="inbound_sender_recent")]

    def __str__(self) -> str:
        return f"{self.message_id or self.fingerprint[:20]} ({self.status})"
