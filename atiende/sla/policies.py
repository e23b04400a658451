"""Which policy and which calendar apply to a ticket."""

from __future__ import annotations

import copy

from atiende.kept import Kept
from atiende.sla.models import Calendar, SlaPolicy
from atiende.tickets.models import Ticket


def _specificity(policy: SlaPolicy) -> int:
    return (
        (4 if policy.contract_id else 0) + (2 if policy.service_id else 0) + (1 if policy.priority_id else 0)
    )


# The active policies, oldest first, kept per process: every ticket opened on any channel
# asks, and they change rarely.
active = Kept("sla-policies", lambda: list(SlaPolicy.objects.filter(is_active=True).order_by("pk")))


def watch() -> None:
    active.watch((SlaPolicy,))


def policy_for(ticket: Ticket) -> SlaPolicy | None:
    """The most specific active policy whose contract, service and priority (each when
    set) match the ticket; on a tie, the oldest."""
    best: SlaPolicy | None = None
    for policy in active.load():
        if (
            policy.contract_id in (None, ticket.contract_id)
            and policy.service_id in (None, ticket.service_id)
            and policy.priority_id in (None, ticket.priority_id)
            and (best is None or _specificity(policy) > _specificity(best))
        ):
            best = policy
    return copy.copy(best) if best is not None else None


def calendar_for(ticket: Ticket, policy: SlaPolicy | None = None) -> Calendar | None:
    """The policy's own calendar (a "24x7" promise counts in its own hours), else the
    contract's, else the queue's, else the default one; None means the clock runs around
    the clock."""
    chosen = policy.calendar if policy is not None and policy.calendar_id else None
    if chosen is None and ticket.contract_id:
        chosen = Calendar.objects.filter(contracts=ticket.contract_id).order_by("pk").first()
    if chosen is None:
        chosen = Calendar.objects.filter(queues=ticket.queue_id).order_by("pk").first()
    if chosen is None:
        chosen = Calendar.objects.filter(is_default=True).first()
    return chosen
