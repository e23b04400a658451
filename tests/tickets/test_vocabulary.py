"""A ticket read alone (`access.get_ticket_for_user`) takes its status, priority, queue,
company and assignee from copies kept in each process (`tickets.vocabulary`): the
statement joins only the requester, and a change to any of them shows on the next page."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from atiende.tickets import access, actions, vocabulary
from tests.factories import make_agent, open_ticket
from tests.helpers import made_elsewhere


def ticket_statement(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    found = [
        query["sql"] for query in captured.captured_queries if re.search(r'"number" = \d+', query["sql"])
    ]
    assert len(found) == 1, found
    return response.content.decode(), found[0]


def test_the_ticket_statement_joins_only_the_requester(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.assign_ticket(world.supervisor.user, ticket, world.agente)
    client.force_login(world.agente.user)

    html, sql = ticket_statement(client, reverse("desk:ticket", args=[ticket.number]))

    assert "JOIN" in sql and '"accounts_contact"' in sql
    assert '"accounts_organization"' not in sql.split(" WHERE ")[0]
    assert '"accounts_agent"' not in sql.split(" WHERE ")[0]
    assert world.acme.name in html and world.agente.user.full_name in html


def test_a_renamed_company_or_engineer_shows_on_the_next_page(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.assign_ticket(world.supervisor.user, ticket, world.agente)
    desk, portal = (
        reverse("desk:ticket", args=[ticket.number]),
        reverse("portal:ticket-detail", args=[ticket.number]),
    )
    client.force_login(world.agente.user)
    client.get(desk)

    world.acme.name = "Acme Andina S.A.S."
    world.acme.save()
    world.agente.user.full_name = "Agente Renombrado"
    world.agente.user.save()

    html, _sql = ticket_statement(client, desk)
    assert "Acme Andina S.A.S." in html and "Agente Renombrado" in html
    client.force_login(world.luis.user)
    html, _sql = ticket_statement(client, portal)
    assert "Acme Andina S.A.S." in html


def test_each_ticket_gets_its_own_copies(world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.assign_ticket(world.supervisor.user, ticket, world.agente)
    first = access.get_ticket_for_user(world.supervisor.user, ticket.number)
    second = access.get_ticket_for_user(world.supervisor.user, ticket.number)

    first.organization.name = "cambiado en memoria"
    assert first.assignee is not None and second.assignee is not None
    first.assignee.user.full_name = "cambiado en memoria"

    assert second.organization.name == world.acme.name
    assert second.assignee.user.full_name == world.agente.user.full_name
    assert vocabulary.parties.load().agent[world.agente.pk].user.full_name == world.agente.user.full_name


def test_an_engineer_newer_than_the_kept_copy_is_read_as_usual(world):
    ticket = open_ticket(world.luis, world.soporte)
    with made_elsewhere(vocabulary.parties):
        newcomer = make_agent("nuevo@atiende.test", world.soporte, full_name="Nuevo Ingeniero")
        actions.assign_ticket(world.supervisor.user, ticket, newcomer)
    assert newcomer.pk not in vocabulary.parties.load().agent

    read = access.get_ticket_for_user(world.supervisor.user, ticket.number)

    assert read.assignee is not None
    assert read.assignee.user.full_name == "Nuevo Ingeniero"
