"""A policy's escalation actions, run by the sweep on the system's behalf: raise the
priority, move the ticket to another queue, give it to a supervisor. Each change is written
to the ticket's history, with no person as its actor and the system as its channel."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from atiende.sla.models import SlaPolicy, Target
from atiende.sla.notices import queue_supervisors
from atiende.sla.state import SlaState
from atiende.tickets import access, ledger
from atiende.tickets.effects import TicketEvent, after_commit
from atiende.tickets.models import Channel, Priority, Ticket
from atiende.webhooks import events as webhook_events


def record(ticket: Ticket, action: str, field: str, old: object, new: object) -> None:
    # History keeps the words of the installation's language, whoever reads it.
    with translation.override(settings.LANGUAGE_CODE):
        ledger.append(
            ticket,
            actor=None,
            channel=Channel.SYSTEM,
            action=action,
            field=field,
            old_value="" if old is None else str(old),
            new_value="" if new is None else str(new),
            value=new,  # the chain seals the field's new value (tickets/ledger.py)
        )


def record_crossing(ticket: Ticket, target: Target, state: SlaState) -> None:
    """“Resolution: Breached” in the ticket's history."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _("%(target)s: %(state)s") % {"target": target.label, "state": state.label}
    record(ticket, "sla", "sla", None, text)
    webhook_events.sla_crossing(ticket, target=target.value, breached=state == SlaState.BREACHED)


def escalate(ticket: Ticket, policy: SlaPolicy) -> list[str]:
    """Apply the policy's escalation to a ticket locked by the caller; the fields changed."""
    changed: list[str] = []
    if policy.escalate_raise_priority:
        higher = Priority.objects.filter(level__lt=ticket.priority.level).order_by("-level").first()
        if higher is not None:
            record(ticket, "changed", "priority", ticket.priority, higher)
            ticket.priority = higher
            changed.append("priority")
    queue = policy.escalate_to_queue
    if queue is not None and queue.is_active and queue.pk != ticket.queue_id:
        record(ticket, "changed", "queue", ticket.queue, queue)
        ticket.queue = queue
        changed.append("queue")
        if ticket.assignee is not None and not access.may_be_assigned(ticket.assignee, queue):
            record(ticket, "changed", "assignee", ticket.assignee, None)
            ticket.assignee = None
            changed.append("assignee")
    if policy.escalate_to_supervisor:
        supervisor = queue_supervisors(ticket.queue).first()
        if supervisor is not None and supervisor.pk != ticket.assignee_id:
            record(ticket, "changed", "assignee", ticket.assignee, supervisor)
            ticket.assignee = supervisor
            if "assignee" not in changed:
                changed.append("assignee")
    if changed:
        ticket.save(update_fields=[*changed, "updated_at"])
        after_commit(TicketEvent("changed", ticket.pk, None, Channel.SYSTEM, fields=tuple(changed)))
    return changed
