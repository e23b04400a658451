"""Integration users (service tokens' and monitoring sources') act in the history but are
never given tickets: no select, filter, count or API call offers them as engineers."""

from __future__ import annotations

import importlib

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from atiende.accounts.models import Agent, AgentRole, User
from atiende.api import tokens
from atiende.desk.inbox import catalog
from atiende.desk.setup import checklist
from atiende.desk.workspace.forms import AssigneeForm
from atiende.errors import InvalidValue
from atiende.monitoring import sources
from atiende.monitoring.models import AlertSource
from atiende.reports.workload import workload
from atiende.tickets import actions
from atiende.tickets.models import Ticket
from tests.conftest import World
from tests.factories import open_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def bot(world: World) -> Agent:
    """A supervisor-role integration, who would otherwise be assignable in every queue."""
    user = tokens.create_integration_user(
        world.admin.user,
        name="Facturación",
        email="facturacion@integraciones.atiende.test",
        role=AgentRole.SUPERVISOR,
    )
    agent = user.agent_or_none
    assert agent is not None
    world.soporte.agents.add(agent)
    return agent


@pytest.fixture
def alerts_bot(world: World) -> Agent:
    source = AlertSource(name="Prometheus", organization=world.acme, requester=world.ana, queue=world.soporte)
    sources.save_source(source)
    return Agent.objects.get(user=source.actor)


@pytest.fixture
def ticket(world: World) -> Ticket:
    return open_ticket(world.luis, world.soporte, subject="Impresora atascada")


def test_integration_users_are_marked_so_when_made(bot: Agent, alerts_bot: Agent, world: World) -> None:
    assert bot.is_integration and alerts_bot.is_integration
    assert not world.agente.is_integration
    engineers = set(Agent.objects.engineers())
    assert world.agente in engineers
    assert bot not in engineers and alerts_bot not in engineers


def test_the_assignee_select_offers_engineers_only(
    bot: Agent, alerts_bot: Agent, ticket: Ticket, world: World
) -> None:
    field = AssigneeForm(ticket=ticket).fields["value"]
    assert isinstance(field, forms.ModelChoiceField)
    choices = {str(agent.pk) for agent in field.queryset or []}

    assert str(bot.pk) not in choices and str(alerts_bot.pk) not in choices
    assert str(world.agente.pk) in choices  # the queue's engineer is there


def test_the_inbox_filter_and_the_workload_leave_integrations_out(
    bot: Agent, alerts_bot: Agent, world: World
) -> None:
    actions.take_ticket(world.agente.user, open_ticket(world.ana, world.soporte))
    catalog.changed()
    assert {agent.pk for agent in catalog.load().agents}.isdisjoint({bot.pk, alerts_bot.pk})
    names = {load.agent.pk for load in workload(world.supervisor.user) if load.agent is not None}
    assert world.agente.pk in names and bot.pk not in names


def test_the_team_count_counts_people(bot: Agent, world: World) -> None:
    people = Agent.objects.filter(user__is_active=True, is_integration=False).count()

    step = checklist.engineers()

    assert str(people) in str(step.status)


def test_the_assign_action_refuses_an_integration_with_a_clear_reason(
    bot: Agent, world: World, ticket: Ticket
) -> None:
    with pytest.raises(InvalidValue) as refused:
        actions.assign_ticket(world.supervisor.user, ticket, bot)

    assert refused.value.field == "assignee"
    assert "Facturación" in str(refused.value.message)
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_an_integration_cannot_give_itself_a_ticket_through_the_api(
    bot: Agent, world: World, ticket: Ticket
) -> None:
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION="Bearer "
        + tokens.create_service_token(world.admin.user, bot.user, name="Servicio").secret
    )

    assigned = client.patch(f"/api/v1/tickets/{ticket.number}/", {"assignee": bot.pk}, format="json")

    assert assigned.status_code == 400, assigned.content
    problem = assigned.json()
    assert problem["errors"][0]["field"] == "assignee", problem
    assert Ticket.objects.get(pk=ticket.pk).assignee is None
    # It still works the ticket: a note through its token is its own.
    noted = client.post(
        f"/api/v1/tickets/{ticket.number}/notes/", {"text": "Factura 123 emitida."}, format="json"
    )
    assert noted.status_code == 201, noted.content


def test_bulk_assign_to_an_integration_is_refused(bot: Agent, world: World, ticket: Ticket) -> None:
    client = Client()
    client.force_login(world.supervisor.user)

    done = client.post(reverse("desk:bulk-apply"), {"ticket": [ticket.number], "change": f"assign:{bot.pk}"})

    assert done.status_code in {200, 400}
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_existing_integrations_are_marked_by_the_migration(world: World) -> None:
    from django.apps import apps

    migration = importlib.import_module("atiende.api.migrations.0002_mark_integrations")
    user = User.objects.create_user(
        email="alerts-x@integrations.invalid", password=None, full_name="Integración"
    )
    old = Agent.objects.create(user=user, role=AgentRole.AGENT)
    invited = tokens.create_integration_user(world.admin.user, name="Bot", email="bot@atiende.test")
    Agent.objects.filter(user=invited).update(is_integration=False)
    tokens.create_service_token(world.admin.user, invited, name="Servicio")
    never_signed_in = User.objects.create_user(email="nueva@atiende.test", password=None, full_name="Nueva")
    pending = Agent.objects.create(
        user=never_signed_in, role=AgentRole.AGENT
    )  # an invitation not yet accepted

    migration.mark(apps, None)

    for agent in (old, pending, world.agente):
        agent.refresh_from_db()
    assert old.is_integration and Agent.objects.get(user=invited).is_integration
    assert not pending.is_integration and not world.agente.is_integration
