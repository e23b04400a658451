"""A ticket's SLA clocks, moved by the ticket actions inside their transaction.

The actions call, explicitly: `on_opened` when a ticket is created, `on_agent_public_reply`
when an engineer writes to the customer (that meets the first response; an internal note
does not), and `on_status_changed` on every change of stage. While the ticket waits on the
customer (stage kind *pending*) or is resolved, the clocks stand still; when it goes back
to work they resume with the business time that was left. Resolving or closing meets the
targets still running.

A ticket may also be *held* whatever its stage: a major incident holds the clocks of the
tickets it gathers (`hold` / `release`). A domain that holds tickets registers how to ask
whether a ticket is held (`register_hold`), so a change of stage never restarts the
clocks of a held ticket; the SLA code itself never imports that domain.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable

from django.conf import settings

from atiende.sla.business_time import (
    ZERO,
    BusinessCalendar,
    add_business_minutes,
    add_business_time,
    always_open,
    business_time_between,
)
from atiende.sla.models import Target, TicketSla
from atiende.sla.policies import calendar_for, policy_for
from atiende.tickets.models import HistoryEvent, Message, MessageKind, Status, StatusKind, Ticket

TARGETS = (Target.FIRST_RESPONSE, Target.RESOLUTION)
# The clocks stand still in these stages.
STOPPED = frozenset({StatusKind.PENDING, StatusKind.RESOLVED, StatusKind.CLOSED})
DONE = frozenset({StatusKind.RESOLVED, StatusKind.CLOSED})


# Each answers "is this ticket (by id) held?"; registered once at start-up.
_holds: list[Callable[[int], bool]] = []


def register_hold(is_held: Callable[[int], bool]) -> None:
    if is_held not in _holds:
        _holds.append(is_held)


def is_held(ticket: Ticket) -> bool:
    return any(check(ticket.pk) for check in _holds)


def hold(ticket: Ticket, *, at: datetime.datetime) -> None:
    """Stop the clocks where they stand (a stage that already stopped them keeps them so)."""
    sla = _sla_of(ticket)
    if sla is None or sla.paused_since is not None:
        return
    sla.paused_since = at
    sla.save(update_fields=["paused_since"])


def release(ticket: Ticket, *, at: datetime.datetime) -> None:
    """Let the clocks run again with the business time they had left, unless the stage
    (waiting on the customer, resolved) or another hold still stops them. The caller has
    already ended its own hold."""
    sla = _sla_of(ticket)
    if sla is None or sla.paused_since is None:
        return
    if StatusKind(ticket.status.kind) in STOPPED or is_held(ticket):
        return
    _resume(sla, business_calendar(sla), at)
    _refresh_next_due(sla)
    sla.save()


def business_calendar(sla: TicketSla) -> BusinessCalendar:
    """The calendar the ticket's clocks count in (around the clock when it has none)."""
    return sla.calendar.business() if sla.calendar is not None else always_open(settings.TIME_ZONE)


def warning_minutes(minutes: int, percent: int) -> int:
    return minutes * percent // 100


def on_opened(ticket: Ticket) -> TicketSla | None:
    """Pick the policy and calendar and start the clocks at the ticket's creation. A
    ticket that no policy covers gets no clocks."""
    policy = policy_for(ticket)
    if policy is None or (policy.first_response_minutes is None and policy.resolution_minutes is None):
        return None
    sla = TicketSla(
        ticket=ticket,
        policy=policy,
        calendar=calendar_for(ticket, policy),
        started_at=ticket.created_at,
        warning_percent=policy.warning_percent,
        first_response_minutes=policy.first_response_minutes,
        resolution_minutes=policy.resolution_minutes,
    )
    calendar = business_calendar(sla)
    for target in TARGETS:
        minutes = _minutes(sla, target)
        if minutes is not None:
            _set(sla, target, "due_at", add_business_minutes(calendar, sla.started_at, minutes))
            warn_after = warning_minutes(minutes, sla.warning_percent)
            _set(sla, target, "warn_at", add_business_minutes(calendar, sla.started_at, warn_after))
    _refresh_next_due(sla)
    sla.save()
    return sla


def on_agent_public_reply(ticket: Ticket, *, at: datetime.datetime) -> None:
    """An engineer's public reply meets the first response, if it still runs."""
    sla = _sla_of(ticket)
    if sla is None or not _running(sla, Target.FIRST_RESPONSE):
        return
    _meet(sla, business_calendar(sla), Target.FIRST_RESPONSE, at)
    _refresh_next_due(sla)
    sla.save()


def on_status_changed(ticket: Ticket, old: Status, new: Status, *, at: datetime.datetime) -> None:
    """Pause, resume or finish the clocks as the ticket changes stage."""
    old_kind, new_kind = StatusKind(old.kind), StatusKind(new.kind)
    if old_kind == new_kind:
        return
    sla = _sla_of(ticket)
    if sla is None:
        return
    calendar = business_calendar(sla)
    if new_kind in DONE:
        for target in TARGETS:
            if _running(sla, target):
                _meet(sla, calendar, target, at)
    elif old_kind == StatusKind.RESOLVED and sla.resolution_minutes is not None:
        # Reopened: resolution runs again from where it stood when the ticket was resolved.
        sla.resolution_met_at = None
        sla.resolution_elapsed = None
    if old_kind not in STOPPED and new_kind in STOPPED:
        sla.paused_since = sla.paused_since or at  # a held ticket stopped earlier
    elif old_kind in STOPPED and new_kind not in STOPPED and not is_held(ticket):
        _resume(sla, calendar, at)
    _refresh_next_due(sla)
    sla.save()


def replay(ticket: Ticket) -> TicketSla | None:
    """Compute the clocks afresh from the ticket's creation, its engineers' public replies
    and its changes of stage, as recorded. For tickets written without the actions'
    present moment (the demo backdates them) and after changing a calendar's hours."""
    TicketSla.objects.filter(ticket=ticket).delete()
    if on_opened(ticket) is None:
        return None
    statuses = {
        name: status for status in Status.objects.all() for name in (status.name_es, status.name_en) if name
    }
    moments: list[tuple[datetime.datetime, int, Status | None, Status | None]] = []
    first_reply = (
        Message.objects.filter(ticket=ticket, kind=MessageKind.PUBLIC, author__agent__isnull=False)
        .order_by("created_at", "id")
        .values_list("created_at", flat=True)
        .first()
    )
    if first_reply is not None:
        moments.append((first_reply, 0, None, None))
    changes = HistoryEvent.objects.filter(ticket=ticket, field="status").order_by("created_at", "id")
    for order, change in enumerate(changes, start=1):
        old, new = statuses.get(change.old_value), statuses.get(change.new_value)
        if old is not None and new is not None:
            moments.append((change.created_at, order, old, new))
    for at, _order, old, new in sorted(moments, key=lambda moment: (moment[0], moment[1])):
        if old is None or new is None:
            on_agent_public_reply(ticket, at=at)
        else:
            on_status_changed(ticket, old, new, at=at)
    return TicketSla.objects.filter(ticket=ticket).first()


# --- the clocks ---------------------------------------------------------------------------


def _sla_of(ticket: Ticket) -> TicketSla | None:
    return TicketSla.objects.select_related("calendar").filter(ticket=ticket).first()


def _minutes(sla: TicketSla, target: Target) -> int | None:
    minutes: int | None = getattr(sla, f"{target}_minutes")
    return minutes


def _get(sla: TicketSla, target: Target, name: str) -> datetime.datetime | None:
    value: datetime.datetime | None = getattr(sla, f"{target}_{name}")
    return value


def _set(sla: TicketSla, target: Target, name: str, value: object) -> None:
    setattr(sla, f"{target}_{name}", value)


def _running(sla: TicketSla, target: Target) -> bool:
    return _minutes(sla, target) is not None and _get(sla, target, "met_at") is None


def _meet(sla: TicketSla, calendar: BusinessCalendar, target: Target, at: datetime.datetime) -> None:
    """Stop one clock. The business time it took is its target less what was left when it
    last ran (at the pause, if the ticket was paused)."""
    minutes, due = _minutes(sla, target), _get(sla, target, "due_at")
    if minutes is None or due is None:
        return
    stopped = sla.paused_since or at
    left = business_time_between(calendar, stopped, due)
    used_seconds = minutes * 60 - left.total_seconds()
    _set(sla, target, "met_at", at)
    _set(sla, target, "elapsed", max(0, math.ceil(used_seconds / 60)))


def _resume(sla: TicketSla, calendar: BusinessCalendar, at: datetime.datetime) -> None:
    """Move each running deadline forward by the business time left at the pause; one
    already passed stays where it was (it is breached whatever happens next)."""
    paused = sla.paused_since
    sla.paused_since = None
    if paused is None:
        return
    for target in TARGETS:
        if not _running(sla, target):
            continue
        for name in ("due_at", "warn_at"):
            moment = _get(sla, target, name)
            if moment is None:
                continue
            left = business_time_between(calendar, paused, moment)
            if left > ZERO:
                _set(sla, target, name, add_business_time(calendar, at, left))


def _refresh_next_due(sla: TicketSla) -> None:
    dues = [_get(sla, target, "due_at") for target in TARGETS if _running(sla, target)]
    sla.next_due_at = min((due for due in dues if due is not None), default=None)
