"""The demo's service levels: an office calendar for Colombia (the default, on both
queues) and one for Mexico (on Initech's contract), and policies per service and priority.
The loader creates them before the stories are played and, after the stories, computes
every ticket's clocks again from what the stories recorded (they are backdated)."""

from __future__ import annotations

import datetime

from atiende.demo import data
from atiende.sla.models import Calendar, ClosedDate, EscalateOn, SlaPolicy, WorkingHours
from atiende.sla.timers import replay
from atiende.tickets.models import Contract, Priority, Queue, Service, Ticket

WEEKDAYS = range(5)


def _calendar(name: str, zone: str, country: str, ranges: list[tuple[int, int]], **values: bool) -> Calendar:
    calendar = Calendar.objects.create(name=name, time_zone=zone, country=country, **values)
    WorkingHours.objects.bulk_create(
        WorkingHours(calendar=calendar, weekday=day, starts=datetime.time(start), ends=datetime.time(end))
        for day in WEEKDAYS
        for start, end in ranges
    )
    return calendar


def create_service_levels() -> None:
    colombia = _calendar(
        "Oficina Colombia (L-V 8:00-18:00)", "America/Bogota", "CO", [(8, 12), (13, 18)], is_default=True
    )
    colombia.queues.set(Queue.objects.all())
    ClosedDate.objects.create(calendar=colombia, date=datetime.date(2025, 12, 24), name="Nochebuena")
    ClosedDate.objects.create(calendar=colombia, date=datetime.date(2025, 12, 31), name="Fin de año")
    mexico = _calendar("Oficina México (L-V 9:00-18:00)", "America/Mexico_City", "MX", [(9, 18)])
    mexico.contracts.set(Contract.objects.filter(organization__name=data.INITECH))

    services = {service.name: service for service in Service.objects.all()}
    urgent = Priority.objects.get(level=1)
    high = Priority.objects.get(level=2)
    supervisor_escalation = {"escalate_on": EscalateOn.BREACH, "escalate_to_supervisor": True}
    policies = [
        SlaPolicy(name="General", first_response_minutes=8 * 60, resolution_minutes=5 * 10 * 60),
        SlaPolicy(
            name="Urgente",
            priority=urgent,
            first_response_minutes=30,
            resolution_minutes=4 * 60,
            **supervisor_escalation,
        ),
        SlaPolicy(
            name="Mesa de ayuda 8x5",
            service=services[data.MESA_DE_AYUDA],
            first_response_minutes=2 * 60,
            resolution_minutes=2 * 10 * 60,
            escalate_on=EscalateOn.BREACH,
            escalate_raise_priority=True,
        ),
        SlaPolicy(
            name="Mesa de ayuda 8x5, alta",
            service=services[data.MESA_DE_AYUDA],
            priority=high,
            first_response_minutes=60,
            resolution_minutes=10 * 60,
            **supervisor_escalation,
        ),
        SlaPolicy(
            name="Soporte de redes",
            service=services[data.REDES_SERVICE],
            first_response_minutes=60,
            resolution_minutes=16 * 60,
        ),
        SlaPolicy(
            name="Soporte por demanda",
            service=services[data.ON_DEMAND],
            first_response_minutes=10 * 60,
            resolution_minutes=5 * 10 * 60,
        ),
    ]
    SlaPolicy.objects.bulk_create(policies)


def compute_clocks(tickets: list[Ticket]) -> None:
    for ticket in tickets:
        ticket.refresh_from_db()
        replay(ticket)
