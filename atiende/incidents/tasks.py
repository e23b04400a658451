"""Flagging a new ticket that resembles an earlier one, in the background: the search for
a similar ticket reads the company's recent tickets and must not slow the opening of the
ticket (an email's ingestion, a portal send)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import DatabaseError, transaction

from atiende.incidents import similarity

logger = logging.getLogger("atiende.incidents")


@shared_task(name="atiende.incidents.flag_similar", acks_late=True)
def flag_similar(ticket_id: int) -> bool:
    """Remember the ticket this new one most resembles, if any. Safe to run twice (one
    flag per ticket); a failure never touches the ticket."""
    try:
        with transaction.atomic():
            return similarity.flag_new_ticket(ticket_id) is not None
    except DatabaseError:
        logger.exception("incidents.similarity_failed ticket=%s", ticket_id)
        return False
