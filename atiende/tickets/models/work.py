"""What agents keep while they work: time spent, canned replies, saved views, and which
tickets each person has seen since their last change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atiende.tickets.models.catalog import Queue
from atiende.tickets.models.ticket import Ticket


class TimeEntry(models.Model):
    """Minutes an agent spent on a ticket; on-demand tickets are billed by these."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="time_entries", verbose_name=_("ticket")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("agent")
    )
    minutes = models.PositiveIntegerField(_("minutes"))
    billable = models.BooleanField(_("billable"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    work_date = models.DateField(_("date"), default=timezone.localdate)
    # When the work began, if known (a timer knows it): billing uses it for after-hours.
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["-work_date", "-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(minutes__gt=0), name="timeentry_positive")]

    def __str__(self) -> str:
        return f"{self.minutes} min #{self.ticket_id}"

    ticket_id: int


class CannedReply(models.Model):
    """A prepared answer with placeholders such as {requester_name} and {ticket_number}."""

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Placeholders: {requester_name}, {requester_first_name}, {ticket_number}, {subject}, "
            "{company}, {agent_name}, {portal_link}"
        ),
    )
    queue = models.ForeignKey(
        Queue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="canned_replies",
        verbose_name=_("queue"),
        help_text=_("Empty: offered in every queue."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class SavedView(models.Model):
    """An agent's own inbox filter, kept as the list's URL query."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=1000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="savedview_unique_name")]

    def __str__(self) -> str:
        return self.name


class TicketSeen(models.Model):
    """When a person last opened a ticket, so lists can mark tickets with news."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "ticket"], name="ticketseen_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} saw #{self.ticket_id}"

    user_id: int
    ticket_id: int
