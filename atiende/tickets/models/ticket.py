"""Tickets and their thread: messages, attachments, links and the history of changes."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import Agent, Contact, Location, Organization
from atiende.tickets.models.catalog import (
    Category,
    Contract,
    Priority,
    Queue,
    Service,
    Status,
    Tag,
    TicketType,
)

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

    from atiende.tickets.models.work import TimeEntry


class Channel(models.TextChoices):
    WEB = "web", _("Web portal")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    WHATSAPP = "whatsapp", _("WhatsApp")
    API = "api", _("API")
    SYSTEM = "system", _("System")


class TicketNumberCounter(models.Model):
    """The last ticket number handed out, for databases without sequences (SQLite).
    PostgreSQL uses the `tickets_ticket_number_seq` sequence instead."""

    last = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"#{self.last}"


class Ticket(models.Model):
    number = models.BigIntegerField(_("number"), unique=True, editable=False)
    subject = models.CharField(_("subject"), max_length=250)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("organization")
    )
    requester = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("requester")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("queue")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("service")
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("contract"),
    )
    type = models.ForeignKey(TicketType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type"))
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("location"),
    )
    priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, related_name="+", verbose_name=_("priority")
    )
    status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="+", verbose_name=_("status"))
    assignee = models.ForeignKey(
        Agent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("assignee"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets", verbose_name=_("tags"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)

    if TYPE_CHECKING:
        id: int
        queue_id: int
        organization_id: int
        requester_id: int
        status_id: int
        assignee_id: int | None
        messages: RelatedManager[Message]
        history: RelatedManager[HistoryEvent]
        links_out: RelatedManager[TicketLink]
        links_in: RelatedManager[TicketLink]
        time_entries: RelatedManager[TimeEntry]
        cc: RelatedManager[TicketCc]

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-last_activity_at"]
        indexes = [
            models.Index(fields=["queue", "status", "-last_activity_at"], name="ticket_queue_inbox"),
            models.Index(fields=["assignee", "status", "-last_activity_at"], name="ticket_assignee_inbox"),
            models.Index(fields=["requester", "-last_activity_at"], name="ticket_requester_list"),
            models.Index(fields=["organization", "-last_activity_at"], name="ticket_company_list"),
            # A company's month (the monthly review): what it opened, and what was still
            # unresolved at the month's end.
            models.Index(fields=["organization", "created_at"], name="ticket_company_opened"),
            models.Index(fields=["organization", "resolved_at"], name="ticket_company_resolved"),
            # Open tickets are a few percent of all: lists of open tickets read these small
            # indexes in order (see queries.STILL_OPEN) instead of a queue's whole history.
            # On PostgreSQL these two are in the desk's order (nulls last, id breaking ties;
            # migration 0009), which SQLite cannot declare.
            models.Index(
                fields=["queue", "-last_activity_at"],
                name="ticket_open_queue",
                condition=models.Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["assignee", "-last_activity_at"],
                name="ticket_open_assignee",
                condition=models.Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["organization", "-last_activity_at"],
                name="ticket_open_company",
                condition=models.Q(closed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.subject}"

    @property
    def reference(self) -> str:
        return f"#{self.number}"

    @property
    def is_closed(self) -> bool:
        return self.status.is_closed


class TicketCc(models.Model):
    """Someone kept informed of a ticket's public replies besides its requester."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="cc", verbose_name=_("ticket"))
    email = models.EmailField(_("email"))

    class Meta:
        verbose_name = _("copied address")
        verbose_name_plural = _("copied addresses")
        ordering = ["email"]
        constraints = [models.UniqueConstraint(fields=["ticket", "email"], name="ticketcc_unique")]

    def __str__(self) -> str:
        return self.email


class MessageKind(models.TextChoices):
    PUBLIC = "public", _("Public message")
    NOTE = "note", _("Internal note")
    EVENT = "event", _("System event")


class SenderCheck(models.TextChoices):
    """How a channel proved who wrote a message. An unverified new ticket is opened and
    marked; an unverified reply into an existing ticket is *held*: agents see it, nobody
    else is told, and it counts for nothing until an engineer accepts it."""

    NOT_EMAIL = "", _("Not an email")
    REPLY_TOKEN = "token", _("Verified: signed reply address")
    MAIL_SERVER = "mta", _("Verified by the mail server (DMARC, DKIM or SPF)")
    DKIM = "dkim", _("Verified: DKIM signature")
    UNVERIFIED = "unverified", _("Unverified sender")
    HELD = "held", _("Unverified sender, held for an engineer")
    ACCEPTED = "accepted", _("Unverified sender, accepted by an engineer")


class Message(models.Model):
    """One entry of the thread: the manual's *historial de mensajes*."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="messages", verbose_name=_("ticket")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True, help_text=_("Sanitized before it is stored."))
    email_message_id = models.CharField(_("Message-ID"), max_length=255, blank=True, db_index=True)
    email_headers = models.JSONField(_("email headers"), default=dict, blank=True)
    sender_check = models.CharField(
        _("sender verification"), max_length=10, choices=SenderCheck.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    if TYPE_CHECKING:
        ticket_id: int
        author_id: int | None
        attachments: RelatedManager[Attachment]

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="message_thread")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on #{self.ticket.number}"

    @property
    def is_public(self) -> bool:
        return self.kind == MessageKind.PUBLIC

    @property
    def is_held(self) -> bool:
        """An unverified email reply nobody has accepted: shown to agents only."""
        return self.sender_check == SenderCheck.HELD


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the user's file name on disk: it may carry path tricks or collide.
    suffix = PurePosixPath(filename).suffix.lower()[:16]
    today = timezone.now()
    return f"attachments/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("ticket")
    )
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=150)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_id = models.CharField(
        _("Content-ID"), max_length=255, blank=True, help_text=_("For inline images in email.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class LinkKind(models.TextChoices):
    CONTINUES = "continues", _("continues")
    RELATED = "related", _("is related to")
    DUPLICATE = "duplicate", _("is a duplicate of")

    @property
    def incoming_label(self) -> str:
        """The same link read from its target: #1 *is continued by* #2."""
        labels = {
            LinkKind.CONTINUES: _("is continued by"),
            LinkKind.RELATED: _("is related to"),
            LinkKind.DUPLICATE: _("has as duplicate"),
        }
        return str(labels[self])


class TicketLink(models.Model):
    """A directed link: `source` continues / relates to / duplicates `target`."""

    source = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("from")
    )
    target = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="links_in", verbose_name=_("to")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LinkKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket link")
        verbose_name_plural = _("ticket links")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="ticketlink_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="ticketlink_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.source.number} {self.get_kind_display()} #{self.target.number}"


class HistoryEvent(models.Model):
    """Who changed what on a ticket, from which value to which, and when. Values are kept
    as the words users saw at the time, so renaming a status later does not rewrite history."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="history", verbose_name=_("ticket")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    action = models.CharField(_("action"), max_length=40)
    field = models.CharField(_("field"), max_length=40, blank=True)
    old_value = models.TextField(_("from"), blank=True)
    new_value = models.TextField(_("to"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    # The tamper-evident chain (tickets/ledger.py): position, the previous event's hash,
    # this event's hash; the opening event also seals the request as filed.
    sequence = models.IntegerField(_("position"), default=0)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)
    content_sha256 = models.CharField(_("content SHA-256"), max_length=64, blank=True)
    # What the event seals (ledger.py): field values it set, digests of messages and files.
    seal = models.JSONField(_("seal"), default=dict, blank=True)

    class Meta:
        verbose_name = _("history event")
        verbose_name_plural = _("history events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="history_ticket")]
        constraints = [models.UniqueConstraint(fields=["ticket", "sequence"], name="history_chain_position")]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.action} {self.field}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """History is append-only: an event is written once (tickets/ledger.py), never changed."""
        if not self._state.adding:
            raise PermissionError("history events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("history events cannot be deleted")

    if TYPE_CHECKING:
        ticket_id: int
