"""Monitoring alerts: the integrations that send them, and the incident each alert opened.

An `AlertSource` is one endpoint (`/api/v1/alerts/<id>/`) with its own secret token, the
company and contact its tickets are filed for, the queue they go to and how an alert's
severity becomes a priority. It acts through its own integration user (an agent of the
queue who cannot sign in), so history shows which integration opened or noted what.
An `AlertIncident` remembers, per alert fingerprint, the ticket it opened: repeats add
to that ticket instead of opening another.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import Contact, Membership, Organization
from atiende.tickets.models import Priority, Queue, Ticket, TicketType


class AlertFormat(models.TextChoices):
    ALERTMANAGER = "alertmanager", _("Prometheus Alertmanager (webhook, version 4)")
    GENERIC = "generic", _("Generic JSON")


class AlertStatus(models.TextChoices):
    FIRING = "firing", _("Firing")
    RESOLVED = "resolved", _("Resolved")


def default_priority_map() -> dict[str, int]:
    """Alertmanager's customary severities, by priority level (1 is the most urgent)."""
    return {"critical": 1, "warning": 2, "info": 3}


class AlertSource(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, editable=False)
    format = models.CharField(
        _("format"), max_length=20, choices=AlertFormat.choices, default=AlertFormat.ALERTMANAGER
    )
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="+", verbose_name=_("queue"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("company")
    )
    requester = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requester"),
        help_text=_("The company's contact the tickets are filed for."),
    )
    ticket_type = models.ForeignKey(
        TicketType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ticket type"),
        help_text=_("Empty: Incidente."),
    )
    priority_label = models.CharField(
        _("priority label"),
        max_length=100,
        default="severity",
        help_text=_("The alert label whose value chooses the priority."),
    )
    priority_map = models.JSONField(
        _("priority by label value"),
        default=default_priority_map,
        blank=True,
        help_text=_(
            'Label value → priority level, e.g. {"critical": 1, "warning": 2, "info": 3}. '
            "Other values get the default priority."
        ),
    )
    resolve_on_recovery = models.BooleanField(
        _("resolve on recovery"),
        default=True,
        help_text=_("When the alert recovers, note it and resolve the ticket (otherwise only note it)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    actor = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="alert_source",
        verbose_name=_("integration user"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_received_at = models.DateTimeField(_("last alert received"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("alert source")
        verbose_name_plural = _("alert sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if (
            self.organization_id
            and self.requester_id
            and not Membership.objects.filter(
                contact_id=self.requester_id, organization_id=self.organization_id
            ).exists()
        ):
            errors["requester"] = _("The requester must be a contact of the company.")
        problem = priority_map_problem(self.priority_map)
        if problem:
            errors["priority_map"] = problem
        if errors:
            raise ValidationError(errors)


def priority_map_problem(mapping: object) -> str:
    """Why a priority map cannot be used, or "" when it can."""
    if not isinstance(mapping, dict):
        return str(_('Write an object of label values and priority levels, e.g. {"critical": 1}.'))
    levels = set(Priority.objects.values_list("level", flat=True))
    unknown = sorted(
        str(level) for level in mapping.values() if not (isinstance(level, int) and level in levels)
    )
    if unknown:
        return str(
            _("No priority has the level %(levels)s. Levels: %(known)s.")
            % {"levels": ", ".join(unknown), "known": ", ".join(str(level) for level in sorted(levels))}
        )
    return ""


class AlertIncident(models.Model):
    """One alert (by fingerprint) of a source, and the ticket it opened. When that ticket
    is closed and the alert fires again, a new ticket continues it and takes its place."""

    source = models.ForeignKey(
        AlertSource, on_delete=models.CASCADE, related_name="incidents", verbose_name=_("source")
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=128)
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="+", verbose_name=_("ticket"))
    alert_name = models.CharField(_("alert"), max_length=250, blank=True)
    labels = models.JSONField(_("labels"), default=dict, blank=True)
    status = models.CharField(_("last status"), max_length=10, choices=AlertStatus.choices)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    tickets_opened = models.PositiveIntegerField(_("tickets opened"), default=1)

    class Meta:
        verbose_name = _("alert incident")
        verbose_name_plural = _("alert incidents")
        ordering = ["-last_seen"]
        constraints = [
            models.UniqueConstraint(fields=["source", "fingerprint"], name="monitoring_incident_per_alert")
        ]

    def __str__(self) -> str:
        return f"{self.alert_name or self.fingerprint} → #{self.ticket.number}"
