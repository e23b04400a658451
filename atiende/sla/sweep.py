"""The periodic SLA sweep: find the targets that crossed their warning share or their
deadline, and handle each crossing exactly once — notify the assignee and the queue's
supervisors, write it to the history, run the policy's escalation.

Exactly once, even with two sweeps at the same time on different machines: each crossing
is handled in its own transaction that locks the ticket, checks the crossing again on
fresh data, and claims it by inserting an `SlaNotice` row whose (ticket, target, kind) is
unique. The second sweep waits for the lock and then finds the claim taken.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from atiende.sla import escalation, notices
from atiende.sla.models import NoticeKind, SlaNotice, Target, TicketSla
from atiende.sla.state import SlaState, target_status
from atiende.sla.timers import TARGETS, business_calendar
from atiende.tickets.models import Ticket

logger = logging.getLogger("atiende.sla")
BATCH = 500

EXPECTED = {NoticeKind.WARNING: SlaState.AT_RISK, NoticeKind.BREACH: SlaState.BREACHED}


@dataclass(frozen=True)
class SweepResult:
    warnings: int = 0
    breaches: int = 0
    emails: int = 0
    escalations: int = 0

    def __add__(self, other: SweepResult) -> SweepResult:
        return SweepResult(
            self.warnings + other.warnings,
            self.breaches + other.breaches,
            self.emails + other.emails,
            self.escalations + other.escalations,
        )


def sweep(now: datetime.datetime | None = None, *, limit: int = BATCH) -> SweepResult:
    """Handle every warning and breach due at `now` (the present by default) not handled
    yet; at most `limit` of each kind per target in one run."""
    moment = now or timezone.now()
    result = SweepResult()
    for ticket_id, target, kind in candidates(moment, limit=limit):
        result += handle_crossing(ticket_id, target, kind, moment)
    if result.warnings or result.breaches:
        logger.info(
            "sla.sweep warnings=%s breaches=%s emails=%s escalations=%s",
            result.warnings,
            result.breaches,
            result.emails,
            result.escalations,
        )
    return result


def candidates(now: datetime.datetime, *, limit: int = BATCH) -> list[tuple[int, Target, NoticeKind]]:
    """The crossings due and not yet claimed, breaches first. The clock of a paused ticket
    is read at its pause: a ticket waiting on the customer crosses nothing meanwhile."""
    found: list[tuple[int, Target, NoticeKind]] = []
    for kind in (NoticeKind.BREACH, NoticeKind.WARNING):
        for target in TARGETS:
            due, warn = f"{target}_due_at", f"{target}_warn_at"
            if kind == NoticeKind.BREACH:
                crossed = Q(paused_since__isnull=True, **{f"{due}__lte": now}) | Q(
                    paused_since__isnull=False, **{f"{due}__lte": F("paused_since")}
                )
            else:
                crossed = Q(paused_since__isnull=True, **{f"{warn}__lte": now, f"{due}__gt": now}) | Q(
                    paused_since__isnull=False,
                    **{f"{warn}__lte": F("paused_since"), f"{due}__gt": F("paused_since")},
                )
            claimed = SlaNotice.objects.filter(ticket=OuterRef("ticket_id"), target=target, kind=kind)
            rows = (
                TicketSla.objects.filter(crossed, **{f"{target}_met_at__isnull": True})
                .exclude(Exists(claimed))
                .order_by(due)
                .values_list("ticket_id", flat=True)[:limit]
            )
            found.extend((ticket_id, target, kind) for ticket_id in rows)
    return found


def handle_crossing(ticket_id: int, target: Target, kind: NoticeKind, now: datetime.datetime) -> SweepResult:
    """One crossing in one transaction: lock, check again, claim, notify, escalate."""
    with transaction.atomic():
        if not Ticket.objects.select_for_update().filter(pk=ticket_id).exists():
            return SweepResult()
        sla = TicketSla.objects.select_related("calendar", "policy__escalate_to_queue").get(
            ticket_id=ticket_id
        )
        status = target_status(sla, target, now, business_calendar(sla))
        if status is None or status.is_met or status.state != EXPECTED[kind]:
            return SweepResult()  # answered, paused or resolved since the candidates were read
        try:
            with transaction.atomic():
                SlaNotice.objects.create(ticket_id=ticket_id, target=target, kind=kind, created_at=now)
        except IntegrityError:
            return SweepResult()  # another sweep handled it
        ticket = Ticket.objects.select_related("queue", "priority", "assignee__user").get(pk=ticket_id)
        escalation.record_crossing(ticket, target, EXPECTED[kind])
        emails = notices.notify_crossing(ticket, status, kind)
        changed: list[str] = []
        if sla.policy is not None and sla.policy.has_escalation and sla.policy.escalate_on == kind:
            changed = escalation.escalate(ticket, sla.policy)
    return SweepResult(
        warnings=int(kind == NoticeKind.WARNING),
        breaches=int(kind == NoticeKind.BREACH),
        emails=emails,
        escalations=int(bool(changed)),
    )
