"""The monthly service review's sending: whether a company gets it by email, to whom, and
which months went out. The review itself is never stored: `figures.build` computes it
from the daily figures and the company's tickets whenever it is looked at."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import Agent, Contact, Organization

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class ReviewSending(models.Model):
    """A company's monthly sending: off until a supervisor turns it on (after the preview)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="review_sending", verbose_name=_("company")
    )
    enabled = models.BooleanField(_("send the monthly review"), default=False)
    contacts = models.ManyToManyField(
        Contact, blank=True, related_name="+", verbose_name=_("recipients of the monthly review")
    )
    changed_by = models.ForeignKey(
        Agent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)

    if TYPE_CHECKING:
        id: int
        organization_id: int

    class Meta:
        verbose_name = _("monthly review sending")
        verbose_name_plural = _("monthly review sendings")

    def __str__(self) -> str:
        return str(self.organization)


class SentReview(models.Model):
    """One month's review of one company, sent: the row is the claim that makes a second
    run (or a second worker) send nothing."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("company")
    )
    period = models.DateField(_("month"))
    sent_at = models.DateTimeField(_("sent"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    if TYPE_CHECKING:
        id: int
        contacts: RelatedManager[Contact]

    class Meta:
        verbose_name = _("sent monthly review")
        verbose_name_plural = _("sent monthly reviews")
        constraints = [
            models.UniqueConstraint(fields=["organization", "period"], name="sent_review_once_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.period:%Y-%m}"


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def previous_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
