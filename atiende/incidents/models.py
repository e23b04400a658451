"""Major incidents: one ticket that speaks for many, and the tickets it gathers.

An `Incident` is a ticket declared major (by an engineer, or by a monitoring alert). Its
children are other tickets about the same outage, from any company: a public update on
the incident is posted as a reply on each child, and resolving the incident resolves
them. While a child is linked its service-level clocks may stand still (`sla_held`).
The companies whose contacts see the incident's banner in the portal are the incident
ticket's company and those of its children (`organizations`).

A `SimilarTicket` remembers, for a ticket that just arrived, the earlier ticket whose
words it shares (the desk's "posible mismo incidente que #N").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import Organization
from atiende.tickets.models import Ticket


class IncidentState(models.TextChoices):
    ACTIVE = "active", _("Active")
    RESOLVED = "resolved", _("Resolved")


class Incident(models.Model):
    ticket = models.OneToOneField(
        Ticket, on_delete=models.PROTECT, related_name="major_incident", verbose_name=_("incident ticket")
    )
    title = models.CharField(
        _("public title"),
        max_length=160,
        help_text=_("What the affected companies' contacts read in the portal, e.g. “Correo caído”."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=IncidentState.choices, default=IncidentState.ACTIVE
    )
    started_at = models.DateTimeField(_("started"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    pause_children_sla = models.BooleanField(
        _("pause the children's service level"),
        default=True,
        help_text=_("While a ticket is linked to the incident, its service-level clocks stand still."),
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("declared by")
    )
    organizations = models.ManyToManyField(
        Organization, related_name="incidents", blank=True, verbose_name=_("affected companies")
    )

    class Meta:
        verbose_name = _("major incident")
        verbose_name_plural = _("major incidents")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["state", "started_at"], name="incident_state_started")]

    def __str__(self) -> str:
        return f"#{self.ticket.number} {self.title}"

    @property
    def is_active(self) -> bool:
        return self.state == IncidentState.ACTIVE


class IncidentChild(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="children", verbose_name=_("incident")
    )
    ticket = models.OneToOneField(
        Ticket, on_delete=models.PROTECT, related_name="incident_child", verbose_name=_("ticket")
    )
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("attached by")
    )
    attached_at = models.DateTimeField(_("attached"))
    sla_held = models.BooleanField(_("service level held"), default=False)

    class Meta:
        verbose_name = _("incident ticket")
        verbose_name_plural = _("incident tickets")
        ordering = ["attached_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.ticket.number} → {self.incident}"


class IncidentUpdate(models.Model):
    """A public update posted on the incident (and on each child's thread)."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="updates", verbose_name=_("incident")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("text"))
    resolves = models.BooleanField(_("resolves the incident"), default=False)
    posted_at = models.DateTimeField(_("posted"))
    reached = models.PositiveIntegerField(_("tickets reached"), default=0)

    class Meta:
        verbose_name = _("incident update")
        verbose_name_plural = _("incident updates")
        ordering = ["-posted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.incident} · {self.posted_at:%Y-%m-%d %H:%M}"


class SimilarTicket(models.Model):
    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, related_name="similar_flag", verbose_name=_("ticket")
    )
    similar_to = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="+", verbose_name=_("similar to")
    )
    score = models.FloatField(_("similarity"))
    created_at = models.DateTimeField(_("detected"), auto_now_add=True)

    class Meta:
        verbose_name = _("similar ticket")
        verbose_name_plural = _("similar tickets")

    def __str__(self) -> str:
        return f"#{self.ticket.number} ≈ #{self.similar_to.number}"
