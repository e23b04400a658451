"""Where a ticket stands against its targets: on time, at risk or breached, and how much
business time is left. Read-only; computed from the clocks at a given moment."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atiende.sla.business_time import BusinessCalendar, business_minutes_between
from atiende.sla.models import Target, TicketSla
from atiende.sla.timers import TARGETS, business_calendar


class SlaState(models.TextChoices):
    ON_TIME = "on_time", gettext_lazy("On time")
    AT_RISK = "at_risk", gettext_lazy("At risk")
    BREACHED = "breached", gettext_lazy("Breached")


SEVERITY = {SlaState.ON_TIME: 0, SlaState.AT_RISK: 1, SlaState.BREACHED: 2}


@dataclass(frozen=True)
class Words:
    """How time is said, translated once: a list says it on every row."""

    minutes: str
    hours: str
    left: str
    overdue: str

    @classmethod
    def now(cls) -> Words:
        return cls(
            _("%(minutes)s min"),
            _("%(hours)s h %(minutes)02d min"),
            _("%(time)s left"),
            _("%(time)s overdue"),
        )


def duration(minutes: int, words: Words | None = None) -> str:
    """Business minutes in words: 45 min, 3 h 05 min."""
    words = words or Words.now()
    minutes = abs(minutes)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return words.minutes % {"minutes": rest}
    return words.hours % {"hours": hours, "minutes": rest}


@dataclass(frozen=True)
class TargetStatus:
    target: Target
    minutes: int
    state: SlaState
    due_at: datetime.datetime | None
    met_at: datetime.datetime | None
    elapsed: int | None  # business minutes it took, once met
    minutes_left: int | None  # business minutes to the deadline (negative: overdue); None once met
    paused: bool

    @property
    def label(self) -> str:
        return str(self.target.label)

    @property
    def is_met(self) -> bool:
        return self.met_at is not None

    @property
    def time_left(self) -> str:
        return self.said_time_left(Words.now())

    def said_time_left(self, words: Words) -> str:
        """“2 h 10 min left” or “35 min overdue” in business time; empty once met."""
        if self.minutes_left is None:
            return ""
        said = words.overdue if self.minutes_left < 0 else words.left
        return said % {"time": duration(self.minutes_left, words)}


def target_status(
    sla: TicketSla, target: Target, now: datetime.datetime, calendar: BusinessCalendar
) -> TargetStatus | None:
    minutes: int | None = getattr(sla, f"{target}_minutes")
    if minutes is None:
        return None
    due: datetime.datetime | None = getattr(sla, f"{target}_due_at")
    warn: datetime.datetime | None = getattr(sla, f"{target}_warn_at")
    met: datetime.datetime | None = getattr(sla, f"{target}_met_at")
    elapsed: int | None = getattr(sla, f"{target}_elapsed")
    if met is not None:
        state = SlaState.BREACHED if elapsed is not None and elapsed > minutes else SlaState.ON_TIME
        return TargetStatus(target, minutes, state, due, met, elapsed, None, False)
    moment = sla.paused_since or now
    if due is not None and moment >= due:
        state = SlaState.BREACHED
    elif warn is not None and moment >= warn:
        state = SlaState.AT_RISK
    else:
        state = SlaState.ON_TIME
    left = business_minutes_between(calendar, moment, due) if due is not None else None
    return TargetStatus(target, minutes, state, due, None, None, left, sla.paused_since is not None)


@dataclass(frozen=True)
class TicketStatus:
    """Both targets of one ticket, and the one that matters most right now."""

    targets: list[TargetStatus]
    paused: bool

    @property
    def state(self) -> SlaState:
        return max((t.state for t in self.targets), key=SEVERITY.__getitem__, default=SlaState.ON_TIME)

    @property
    def running(self) -> list[TargetStatus]:
        return [t for t in self.targets if not t.is_met]

    @property
    def headline(self) -> TargetStatus | None:
        """The running target with the least time left; None when all are met."""
        running = [t for t in self.running if t.minutes_left is not None]
        return min(running, key=lambda t: t.minutes_left or 0, default=None)

    @property
    def first_response(self) -> TargetStatus | None:
        return next((t for t in self.targets if t.target == Target.FIRST_RESPONSE), None)

    @property
    def resolution(self) -> TargetStatus | None:
        return next((t for t in self.targets if t.target == Target.RESOLUTION), None)


def status_of(sla: TicketSla, now: datetime.datetime | None = None) -> TicketStatus:
    moment = now or timezone.now()
    calendar = business_calendar(sla)
    targets = [t for t in (target_status(sla, target, moment, calendar) for target in TARGETS) if t]
    return TicketStatus(targets, sla.paused_since is not None)
