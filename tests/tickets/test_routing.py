"""Routing rules: a company's or a domain's tickets go to the chosen queue on every channel."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from atiende.errors import InvalidValue, NotAllowed
from atiende.mail.inbound import process, store
from atiende.tickets.actions import routing as routing_actions
from atiende.tickets.models import Channel, RoutingRule, Ticket, TicketType
from tests.conftest import World
from tests.factories import QueueFactory, open_ticket
from tests.mail.test_routing import email

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme_to_redes(world: World) -> RoutingRule:
    return routing_actions.add_routing_rule(world.supervisor.user, queue=world.redes, organization=world.acme)


def test_a_company_rule_sends_a_portal_ticket_to_its_queue_whatever_was_asked(world, acme_to_redes):
    ticket = open_ticket(world.luis, world.soporte)
    assert ticket.queue == world.redes


def test_a_rule_lets_the_contact_leave_the_queue_out(world, acme_to_redes):
    ticket = open_ticket(world.luis, None)
    assert ticket.queue == world.redes


def test_without_a_rule_or_a_queue_the_ticket_is_refused_with_a_reason(world):
    with pytest.raises(InvalidValue) as refused:
        open_ticket(world.luis, None)
    assert refused.value.field == "queue"


def test_another_companys_tickets_are_not_touched_by_the_rule(world, acme_to_redes):
    assert open_ticket(world.carla, world.soporte).queue == world.soporte


def test_a_domain_rule_routes_requesters_of_that_domain(world):
    routing_actions.add_routing_rule(world.admin.user, queue=world.redes, email_domain="@Globex.TEST ")
    assert open_ticket(world.carla, world.soporte).queue == world.redes
    assert open_ticket(world.luis, world.soporte).queue == world.soporte


def test_the_company_rule_wins_over_the_domain_rule(world):
    servidores = QueueFactory.create(name="Servidores", slug="servidores")
    routing_actions.add_routing_rule(world.admin.user, queue=world.redes, email_domain="acme.test")
    routing_actions.add_routing_rule(world.admin.user, queue=servidores, organization=world.acme)
    assert open_ticket(world.luis, world.soporte).queue == servidores


def test_a_rule_to_a_closed_queue_applies_no_more(world, acme_to_redes):
    world.redes.is_active = False
    world.redes.save()
    assert open_ticket(world.luis, world.soporte).queue == world.soporte


def test_a_second_rule_for_a_company_replaces_the_first(world, acme_to_redes):
    routing_actions.add_routing_rule(world.admin.user, queue=world.soporte, organization=world.acme)
    assert RoutingRule.objects.get().queue == world.soporte


def test_every_change_of_the_rules_applies_to_the_next_ticket_at_once(world: World, acme_to_redes) -> None:
    """The rules are kept per process: a rule replaced, removed, added or whose queue
    closes is read again before the next ticket."""
    assert open_ticket(world.luis, world.soporte).queue == world.redes

    routing_actions.add_routing_rule(world.admin.user, queue=world.soporte, organization=world.acme)
    assert open_ticket(world.luis, world.redes).queue == world.soporte

    routing_actions.remove_routing_rule(world.admin.user, RoutingRule.objects.get())
    assert open_ticket(world.luis, world.redes).queue == world.redes

    routing_actions.add_routing_rule(world.admin.user, queue=world.redes, email_domain="acme.test")
    assert open_ticket(world.luis, world.soporte).queue == world.redes
    world.redes.is_active = False
    world.redes.save()
    assert open_ticket(world.luis, world.soporte).queue == world.soporte


def test_only_supervisors_and_admins_change_routing(world, acme_to_redes):
    with pytest.raises(NotAllowed):
        routing_actions.add_routing_rule(world.agente.user, queue=world.soporte, organization=world.globex)
    with pytest.raises(NotAllowed):
        routing_actions.remove_routing_rule(world.luis.user, acme_to_redes)
    with pytest.raises(NotAllowed):
        routing_actions.offer_queue(world.agente.user, world.redes, to_clients=False, organization=None)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({}, "organization"),
        ({"email_domain": "no es un dominio"}, "email_domain"),
        ({"email_domain": "x" * 300 + ".com"}, "email_domain"),
    ],
)
def test_a_rule_needs_exactly_one_valid_condition(world, values, field):
    with pytest.raises(InvalidValue) as refused:
        routing_actions.add_routing_rule(world.admin.user, queue=world.redes, **values)
    assert refused.value.field == field


def test_a_company_rule_cannot_send_to_another_companys_own_queue(world):
    theirs = QueueFactory.create(
        name="Globex Servidores", slug="globex-servidores", organization=world.globex
    )
    with pytest.raises(InvalidValue):
        routing_actions.add_routing_rule(world.admin.user, queue=theirs, organization=world.acme)


# --- every channel follows the rule -------------------------------------------------------


def test_the_portal_follows_the_rule(client, world, acme_to_redes):
    client.force_login(world.luis.user)
    response = client.post(
        reverse("portal:ticket-new"),
        {
            "type": TicketType.objects.get(is_default=True).pk,
            "service": "on-demand",
            "subject": "Sin internet",
            "text": "Desde las 8:00 no hay internet en la sede.",
        },
    )
    assert response.status_code == 302, response.content
    assert Ticket.objects.get().queue == world.redes


def test_email_follows_the_rule(world, acme_to_redes):
    record, _new = store(email("luis@acme.test", "Sin internet", to="soporte@atiende.test"), source="test")
    process(record)
    assert Ticket.objects.get().queue == world.redes


def test_phone_intake_follows_the_rule(client, world, acme_to_redes):
    client.force_login(world.supervisor.user)
    response = client.post(
        reverse("desk:intake-ticket", args=[world.luis.pk]),
        {
            "channel": "phone",
            "type": TicketType.objects.get(is_default=True).pk,
            "queue": world.soporte.pk,
            "service": "on-demand",
            "subject": "Sin internet",
            "text": "Llamó: no hay internet en la sede.",
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.queue) == (Channel.PHONE, world.redes)


def test_the_api_follows_the_rule(world, acme_to_redes):
    api = APIClient()
    api.force_login(world.luis.user)
    response = api.post("/api/v1/tickets/", {"subject": "Sin internet", "text": "Nada carga."}, format="json")
    assert response.status_code == 201, response.content
    assert Ticket.objects.get().queue == world.redes
