"""Tell the SLA clocks which tickets an incident holds (see `sla.timers.register_hold`)."""

from __future__ import annotations

from atiende.sla import timers


def is_held(ticket_id: int) -> bool:
    from atiende.incidents.models import IncidentChild

    return IncidentChild.objects.filter(ticket_id=ticket_id, sla_held=True).exists()


def install() -> None:
    timers.register_hold(is_held)
