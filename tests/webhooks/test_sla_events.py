"""SLA warnings and breaches are announced by the sweep that claims them."""

from atiende.sla.sweep import sweep
from atiende.webhooks.models import EventType
from tests.factories import open_ticket
from tests.sla.conftest import bogota


def test_a_warning_and_a_breach_reach_the_receiver_once_each(
    world, policy, clock, subscribe, receiver, django_capture_on_commit_callbacks
):
    ticket = open_ticket(world.luis, world.soporte)
    subscribe(EventType.SLA_WARNING, EventType.SLA_BREACHED)

    clock.move_to(bogota(2025, 11, 19, 9, 50))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep().warnings == 1
    clock.move_to(bogota(2025, 11, 19, 10, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep().breaches == 1
        assert sweep().breaches == 0

    assert receiver.events() == ["ticket.sla_warning", "ticket.sla_breached"]
    warning, breach = (request.verified["data"] for request in receiver.requests)
    assert warning["ticket"]["number"] == ticket.number
    assert warning["sla"]["target"] == "first_response"
    assert warning["sla"]["state"] == "at_risk"
    assert breach["sla"]["state"] == "breached"
    assert breach["sla"]["due_at"].startswith("2025-11-19T15:00")  # 10:00 in Bogotá, in UTC
