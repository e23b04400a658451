"""A child's clocks stand still while the incident holds it, and run again after."""

from __future__ import annotations

from atiende.incidents import actions
from atiende.sla.models import TicketSla
from atiende.tickets import actions as ticket_actions
from atiende.tickets.models import Channel, StatusKind
from tests.factories import open_ticket
from tests.sla.conftest import bogota, clock, colombia, policy  # noqa: F401 - fixtures


def test_a_held_child_keeps_the_time_it_had_left(world, policy, clock):  # noqa: F811
    parent = open_ticket(world.ana, world.soporte, subject="Correo caído")
    incident = actions.declare_incident(world.agente.user, parent)
    child = open_ticket(world.luis, world.soporte, subject="Sin correo")
    due = TicketSla.objects.get(ticket=child).resolution_due_at
    clock.move_to(bogota(2025, 11, 19, 10, 0))
    actions.attach_ticket(world.agente.user, incident, child)
    assert TicketSla.objects.get(ticket=child).paused_since == bogota(2025, 11, 19, 10, 0)

    # A stage that would restart the clocks does not while the incident holds them.
    ticket_actions.change_status(world.agente.user, child, ticket_actions.default_status(StatusKind.PENDING))
    ticket_actions.add_reply(world.luis.user, child, channel=Channel.WEB, text="Sigo sin correo")
    assert TicketSla.objects.get(ticket=child).paused_since == bogota(2025, 11, 19, 10, 0)

    clock.move_to(bogota(2025, 11, 19, 15, 0))
    actions.detach_ticket(world.agente.user, incident, child)
    sla = TicketSla.objects.get(ticket=child)
    assert sla.paused_since is None
    # Four business hours went by while held (10–12 and 13–15): the deadline moves by them,
    # Thursday 09:00 becoming Thursday 14:00.
    assert due == bogota(2025, 11, 20, 9, 0)
    assert sla.resolution_due_at == bogota(2025, 11, 20, 14, 0)


def test_an_incident_may_leave_the_childrens_clocks_running(world, policy, clock):  # noqa: F811
    parent = open_ticket(world.ana, world.soporte, subject="Correo caído")
    incident = actions.declare_incident(world.agente.user, parent, pause_children_sla=False)
    child = open_ticket(world.luis, world.soporte, subject="Sin correo")
    actions.attach_ticket(world.agente.user, incident, child)
    assert TicketSla.objects.get(ticket=child).paused_since is None
