"""Declaring, gathering, speaking for and resolving a major incident."""

from __future__ import annotations

import pytest

from atiende.incidents import actions
from atiende.incidents.models import IncidentChild, IncidentState
from atiende.outbox.models import OutboundEmail
from atiende.tickets.exceptions import InvalidValue, NotAllowed
from atiende.tickets.models import HistoryEvent, MessageKind, StatusKind
from tests.factories import open_ticket


def test_declaring_a_ticket_makes_its_company_affected_and_is_recorded(world, incident):
    assert incident.state == IncidentState.ACTIVE
    assert list(incident.organizations.all()) == [world.acme]
    assert HistoryEvent.objects.filter(ticket=incident.ticket, action="incident-declared").exists()
    assert actions.declare_incident(world.agente.user, incident.ticket) == incident


def test_a_contact_or_an_agent_of_another_queue_cannot_declare(world):
    ticket = open_ticket(world.luis, world.soporte)
    with pytest.raises(NotAllowed):
        actions.declare_incident(world.luis.user, ticket)
    with pytest.raises(NotAllowed):
        actions.declare_incident(world.otro.user, ticket)


def test_attaching_another_companys_ticket_adds_that_company(world, incident):
    ticket = open_ticket(world.carla, world.soporte, subject="No tenemos correo")
    child = actions.attach_ticket(world.agente.user, incident, ticket)
    assert child.sla_held
    assert set(incident.organizations.all()) == {world.acme, world.globex}
    assert HistoryEvent.objects.filter(ticket=ticket, action="incident-attached").exists()
    assert actions.attach_ticket(world.agente.user, incident, ticket) == child


def test_a_ticket_belongs_to_one_incident_only(world, incident):
    other = actions.declare_incident(world.agente.user, open_ticket(world.ana, world.soporte, subject="VPN"))
    ticket = open_ticket(world.carla, world.soporte)
    actions.attach_ticket(world.agente.user, incident, ticket)
    with pytest.raises(InvalidValue):
        actions.attach_ticket(world.agente.user, other, ticket)
    with pytest.raises(InvalidValue):
        actions.attach_ticket(world.agente.user, incident, other.ticket)


def test_an_agent_cannot_attach_a_ticket_of_a_queue_they_do_not_work(world, incident):
    ticket = open_ticket(world.carla, world.redes)
    with pytest.raises(NotAllowed):
        actions.attach_ticket(world.agente.user, incident, ticket)
    assert not IncidentChild.objects.exists()


def test_an_update_reaches_every_requester_in_their_own_thread(world, incident):
    children = [open_ticket(person, world.soporte) for person in (world.ana, world.carla)]
    for ticket in children:
        actions.attach_ticket(world.agente.user, incident, ticket)
    before = OutboundEmail.objects.count()
    update = actions.post_update(world.agente.user, incident, text="Estamos restableciendo el servidor.")
    assert update.reached == 3
    for ticket in [incident.ticket, *children]:
        reply = ticket.messages.filter(kind=MessageKind.PUBLIC).latest("created_at")
        assert reply.body_text == "Estamos restableciendo el servidor."
        assert reply.author == world.agente.user
    notices = OutboundEmail.objects.order_by("pk")[before:]
    assert sorted(address for email in notices for address in email.to) == sorted(
        [world.luis.user.email, world.ana.user.email, world.carla.user.email]
    )


def test_resolving_resolves_the_children_with_the_note_and_they_can_still_reply(world, incident):
    ticket = open_ticket(world.carla, world.soporte)
    actions.attach_ticket(world.agente.user, incident, ticket)
    actions.resolve_incident(world.agente.user, incident, text="El correo volvió a las 11:00.")
    incident.refresh_from_db()
    ticket.refresh_from_db()
    assert incident.state == IncidentState.RESOLVED
    assert ticket.status.kind == StatusKind.RESOLVED
    assert ticket.messages.filter(body_text="El correo volvió a las 11:00.").exists()
    assert not IncidentChild.objects.get(ticket=ticket).sla_held
    from atiende.tickets import actions as ticket_actions
    from atiende.tickets.models import Channel

    ticket_actions.add_reply(world.carla.user, ticket, channel=Channel.WEB, text="A mí todavía no me llega.")
    ticket.refresh_from_db()
    assert ticket.status.kind == StatusKind.OPEN
    with pytest.raises(InvalidValue):
        actions.post_update(world.agente.user, incident, text="otra vez")


def test_an_empty_or_oversized_update_is_refused(world, incident):
    with pytest.raises(InvalidValue):
        actions.post_update(world.agente.user, incident, text="   ")
    with pytest.raises(InvalidValue):
        actions.post_update(world.agente.user, incident, text="x" * (actions.UPDATE_MAX_LENGTH + 1))


def test_an_update_is_all_or_nothing(world, incident, monkeypatch):
    children = [open_ticket(world.carla, world.soporte) for _ in range(3)]
    for ticket in children:
        actions.attach_ticket(world.agente.user, incident, ticket)
    from atiende.tickets import actions as ticket_actions

    real = ticket_actions.add_reply
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(ticket_actions, "add_reply", failing)
    before = OutboundEmail.objects.count()
    with pytest.raises(RuntimeError):
        actions.post_update(world.agente.user, incident, text="Seguimos trabajando.")
    assert OutboundEmail.objects.count() == before
    assert not incident.ticket.messages.filter(body_text="Seguimos trabajando.").exists()


def test_detaching_takes_the_company_out_when_it_has_no_other_ticket(world, incident):
    ticket = open_ticket(world.carla, world.soporte)
    actions.attach_ticket(world.agente.user, incident, ticket)
    actions.detach_ticket(world.agente.user, incident, ticket)
    assert list(incident.organizations.all()) == [world.acme]
    assert HistoryEvent.objects.filter(ticket=ticket, action="incident-detached").exists()


def test_me_afecta_opens_one_child_ticket_for_the_contact(world, incident):
    ticket = actions.report_affected(world.ana.user, incident, organization=world.acme)
    assert ticket.requester == world.ana
    assert ticket.incident_child.incident == incident
    assert actions.report_affected(world.ana.user, incident, organization=world.acme) == ticket


def test_me_afecta_is_refused_for_an_incident_of_another_company(world, incident):
    with pytest.raises(NotAllowed):
        actions.report_affected(world.carla.user, incident, organization=world.globex)
    with pytest.raises(NotAllowed):
        actions.report_affected(world.carla.user, incident, organization=world.acme)  # not her company
    with pytest.raises(NotAllowed):
        actions.report_affected(world.agente.user, incident, organization=world.acme)
