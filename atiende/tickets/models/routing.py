"""Routing rules: a company's or an email domain's tickets go to a chosen queue, whatever
channel they come by (`tickets.routing` reads them inside `open_ticket`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import Organization
from atiende.tickets.models.catalog import Queue


class RoutingRule(models.Model):
    """One condition (a company, or the requester's email domain) and the queue it sends
    tickets to. A company's rule wins over a domain's."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routing_rule",
        verbose_name=_("company"),
    )
    email_domain = models.CharField(_("email domain"), max_length=253, blank=True)
    queue = models.ForeignKey(
        Queue, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("queue")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    if TYPE_CHECKING:
        organization_id: int | None
        queue_id: int

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["organization__name", "email_domain"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(email_domain=""))
                | (Q(organization__isnull=True) & ~Q(email_domain="")),
                name="routingrule_one_condition",
            ),
            models.UniqueConstraint(
                fields=["email_domain"], condition=~Q(email_domain=""), name="routingrule_unique_domain"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization or '@' + self.email_domain} → {self.queue}"
