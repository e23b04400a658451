"""The API's periodic job: idempotency records older than a day are deleted (the key is
new again once its record is older than `idempotency.RETENTION` anyway; this keeps the
table small)."""

from __future__ import annotations

from celery import shared_task

from atiende.api import idempotency


@shared_task(name="atiende.api.prune_idempotency")
def prune_idempotency() -> int:
    """Periodic: delete the expired idempotency records; returns how many."""
    return idempotency.prune()
