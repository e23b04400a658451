"""Side effects of ticket changes, run after the transaction commits.

Actions call `after_commit` with what happened; this module calls each consumer
explicitly (no signals), so reading it tells the whole story of what follows a change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from atiende.jobs import dispatch as jobs
from atiende.tickets import freshness
from atiende.webhooks import events as webhook_events
from atiende.whatsapp import outbound as whatsapp_outbound

logger = logging.getLogger("atiende.tickets")


@dataclass(frozen=True)
class TicketEvent:
    kind: str  # "opened", "replied", "noted", "changed", "linked", "attached"
    ticket_id: int
    actor_id: int | None
    channel: str
    message_id: int | None = None
    fields: tuple[str, ...] = ()


def after_commit(event: TicketEvent) -> None:
    """Called by every action inside its transaction: what must be written with the change
    is written now (webhook deliveries), the rest runs once it commits."""
    webhook_events.queue_for(event)
    whatsapp_outbound.queue_for(event)
    # Touched now, for whoever reads in this transaction (a bulk change drawing its result),
    # and again once committed: a page that took its stamp in between must not keep it.
    freshness.touch()
    transaction.on_commit(freshness.touch)
    if event.kind == "opened" and settings.ATIENDE_INCIDENT_DETECT:
        ticket_id = event.ticket_id
        transaction.on_commit(lambda: jobs.flag_similar(ticket_id))
    transaction.on_commit(lambda: dispatch(event))


def dispatch(event: TicketEvent) -> None:
    # The audit log line operators grep for; notifications and SLA hang here next.
    logger.info(
        "ticket.%s ticket=%s actor=%s channel=%s message=%s fields=%s",
        event.kind,
        event.ticket_id,
        event.actor_id,
        event.channel,
        event.message_id,
        ",".join(event.fields),
    )
