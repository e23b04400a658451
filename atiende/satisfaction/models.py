"""A requester's rating of how their ticket was resolved: one per ticket, three faces."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Score(models.TextChoices):
    """The three faces the contacts know from the seeds' portal. The values name the
    rollup columns (`rating_good`, `rating_neutral`, `rating_bad`)."""

    BAD = "bad", _("Unsatisfied")
    NEUTRAL = "neutral", _("Neither satisfied nor unsatisfied")
    GOOD = "good", _("Satisfied")


FACES: dict[str, str] = {Score.BAD: "😞", Score.NEUTRAL: "😐", Score.GOOD: "🙂"}
COMMENT_MAX_LENGTH = 2000


class Rating(models.Model):
    """What the requester said of a resolution. It is changed in place while its window is
    open; every version is sealed in the ticket's history."""

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="rating", verbose_name=_("ticket")
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("rated by")
    )
    score = models.CharField(_("rating"), max_length=8, choices=Score.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_MAX_LENGTH)
    # The resolution rated: a ticket reopened and resolved again is rated anew.
    resolved_at = models.DateTimeField(_("resolution rated"))
    created_at = models.DateTimeField(_("first rated"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    if TYPE_CHECKING:
        id: int
        ticket_id: int
        rated_by_id: int

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.face} {self.get_score_display()}"

    @property
    def face(self) -> str:
        return FACES.get(self.score, "")

    @property
    def is_low(self) -> bool:
        return self.score == Score.BAD

    def changeable_until(self) -> datetime.datetime:
        return window_end(self.resolved_at)


def window_end(resolved_at: datetime.datetime) -> datetime.datetime:
    """The last moment a resolution may be rated or its rating changed."""
    return resolved_at + datetime.timedelta(days=settings.ATIENDE_CSAT_CHANGE_DAYS)
