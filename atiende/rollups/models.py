"""The day's figures: per combination of a ticket's properties (`DailyRollup`), and the
same added up per value of each property alone (`DailyTotal`), which is what a report
without filters, or with one, reads. Rows are derived data: `compute.roll_up_day` deletes
and rewrites a day's rows of both, so recounting a day is always safe."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

# The properties a row is kept per, in the order of `DailyRollup.key()`.
DIMENSIONS = (
    "queue_id",
    "organization_id",
    "category_id",
    "type_id",
    "priority_id",
    "channel",
    "assignee_id",
)
# `DailyTotal.dimension` of the rows that hold the whole day.
WHOLE_DAY = ""


class DayFigures(models.Model):
    """What is counted of a day. Business-minute durations are kept as sorted lists so
    medians and percentiles stay exact over any period."""

    day = models.DateField(_("day"))
    opened = models.IntegerField(_("opened"), default=0)
    reopened = models.IntegerField(_("continued from a closed ticket"), default=0)
    resolved = models.IntegerField(_("resolved"), default=0)
    backlog = models.IntegerField(_("open at the end of the day"), default=0)
    first_response_count = models.IntegerField(_("first responses with a target"), default=0)
    first_response_on_time = models.IntegerField(_("first responses on time"), default=0)
    first_response_minutes = models.JSONField(_("first response business minutes"), default=list)
    resolution_count = models.IntegerField(_("resolutions with a target"), default=0)
    resolution_on_time = models.IntegerField(_("resolutions on time"), default=0)
    resolution_minutes = models.JSONField(_("resolution business minutes"), default=list)
    rating_good = models.IntegerField(_("good ratings"), default=0)
    rating_neutral = models.IntegerField(_("neutral ratings"), default=0)
    rating_bad = models.IntegerField(_("bad ratings"), default=0)

    if TYPE_CHECKING:
        id: int

    class Meta:
        abstract = True


# The counted columns: summed when rows are added up (the minute lists are joined).
COUNTED = (
    "opened",
    "reopened",
    "resolved",
    "backlog",
    "first_response_count",
    "first_response_on_time",
    "resolution_count",
    "resolution_on_time",
    "rating_good",
    "rating_neutral",
    "rating_bad",
)
MINUTES = ("first_response_minutes", "resolution_minutes")
# What happened in the day, as opposed to what stood at its end (the backlog).
EVENTS = tuple(name for name in COUNTED if name != "backlog")


class DailyRollup(DayFigures):
    """Counts of one local day (the installation's time zone) for the tickets sharing one
    queue, company, category, type, priority, channel and assignee."""

    queue_id = models.IntegerField(_("queue"))
    organization_id = models.IntegerField(_("company"))
    category_id = models.IntegerField(_("category"), null=True)
    type_id = models.IntegerField(_("type"))
    priority_id = models.IntegerField(_("priority"))
    channel = models.CharField(_("channel"), max_length=10)
    assignee_id = models.IntegerField(_("assignee"), null=True)

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        indexes = [
            models.Index(fields=["day"], name="rollup_day"),
            # A company's month (its review): its rows only, not every company's.
            models.Index(fields=["organization_id", "day"], name="rollup_company_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} q{self.queue_id} o{self.organization_id}"


class DailyTotal(DayFigures):
    """A day's `DailyRollup` rows added up per value of one property (`dimension`, one of
    `DIMENSIONS`; `value` the id or channel as text, empty for none), or all of them
    (`dimension` empty). A day has one row per property value in use instead of one per
    combination: tens of rows where the combinations are thousands."""

    dimension = models.CharField(_("property"), max_length=20, blank=True)
    value = models.CharField(_("value"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("daily total")
        verbose_name_plural = _("daily totals")
        indexes = [
            models.Index(fields=["dimension", "day"], name="rollup_total_day"),
            models.Index(fields=["dimension", "value", "day"], name="rollup_total_value"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension or '*'}={self.value}"
