"""Handing work to the background: a worker when there is a broker, this process otherwise."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from kombu.exceptions import OperationalError

logger = logging.getLogger("atiende.jobs")


def deliver_outbox(ids: Sequence[int]) -> None:
    """Send queued emails (called by the outbox after the transaction commits).

    With a broker the emails go to a worker; without one they are sent here and now. When
    the broker cannot be reached the emails simply stay pending: the periodic retry
    (`atiende.outbox.deliver_due`) sends them, so the user's change is not failed for it.
    """
    from atiende.outbox.tasks import deliver

    try:
        deliver.delay(list(ids))
    except OperationalError:
        logger.exception("outbox.dispatch_failed ids=%s; the periodic retry will send them", list(ids))


def deliver_webhooks(ids: Sequence[int]) -> None:
    """Send queued webhook deliveries (called after the change that queued them commits),
    as `deliver_outbox` does: a worker with a broker, here without; left to the periodic
    retry (`atiende.webhooks.deliver_due`) when the broker cannot be reached."""
    from atiende.webhooks.tasks import deliver

    try:
        deliver.delay(list(ids))
    except OperationalError:
        logger.exception("webhooks.dispatch_failed ids=%s; the periodic retry will send them", list(ids))


def flag_similar(ticket_id: int) -> None:
    """Look for an earlier ticket this new one resembles (called after the opening commits):
    a worker with a broker, here without. The flag is advice for the desk, so when the
    broker cannot be reached it is skipped and said in the log, never retried."""
    from atiende.incidents.tasks import flag_similar as task

    try:
        task.delay(ticket_id)
    except OperationalError:
        logger.exception("incidents.dispatch_failed ticket=%s; not flagged", ticket_id)
