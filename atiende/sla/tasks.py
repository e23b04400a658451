"""The SLA sweep as a periodic job (the schedule runs it by name)."""

from __future__ import annotations

from celery import shared_task

from atiende.sla import sweep as sla_sweep


@shared_task(name="atiende.sla.sweep")
def sweep() -> dict[str, int]:
    """Warn and escalate tickets that crossed a warning share or breached a target."""
    result = sla_sweep.sweep()
    return {name: int(getattr(result, name)) for name in ("warnings", "breaches", "emails", "escalations")}
