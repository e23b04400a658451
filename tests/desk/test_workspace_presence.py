"""The collision notice: who else has the ticket open, and who is writing a reply."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from atiende.desk.workspace import presence
from tests.factories import open_ticket


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ticket(world):
    return open_ticket(world.luis, world.soporte)


def _agent(user):
    client = Client()
    client.force_login(user)
    return client


def _ping(client, ticket, *, typing=False):
    url = reverse("desk:ticket-presence", args=[ticket.number])
    return client.post(url, {"typing": "1" if typing else "0"}).content.decode()


def test_an_agent_is_told_who_else_has_the_ticket_open(world, ticket):
    laura, pedro = _agent(world.agente.user), _agent(world.supervisor.user)

    first = _ping(laura, ticket)
    second = _ping(pedro, ticket)
    again = _ping(laura, ticket)

    assert "presence-person" not in first
    assert "Agente Soporte" in second and 'data-state="viewing"' in second
    assert "Supervisora" in again and "Agente Soporte" not in again


def test_the_notice_says_when_the_other_agent_is_typing(world, ticket):
    laura, pedro = _agent(world.agente.user), _agent(world.supervisor.user)

    _ping(laura, ticket, typing=True)
    seen = _ping(pedro, ticket)

    assert 'data-state="typing"' in seen
    assert "Agente Soporte" in seen


def test_the_page_itself_shows_who_was_already_there(client, world, ticket):
    _ping(_agent(world.supervisor.user), ticket)
    client.force_login(world.agente.user)

    html = client.get(reverse("desk:ticket", args=[ticket.number])).content.decode()

    notice = html[html.index('id="presence"') :][:600]
    assert "Supervisora" in notice


def test_presence_expires_when_the_pings_stop(world, ticket):
    laura, pedro = _agent(world.agente.user), _agent(world.supervisor.user)
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        _ping(laura, ticket)
    with time_machine.travel(start + datetime.timedelta(seconds=20), tick=False):
        assert "Agente Soporte" in _ping(pedro, ticket)
    with time_machine.travel(start + datetime.timedelta(seconds=presence.TTL_SECONDS + 5), tick=False):
        assert "Agente Soporte" not in _ping(pedro, ticket)


def test_leaving_the_page_removes_the_agent_at_once(world, ticket):
    laura, pedro = _agent(world.agente.user), _agent(world.supervisor.user)
    url = reverse("desk:ticket-presence", args=[ticket.number])

    _ping(laura, ticket)
    assert laura.post(url, {"leave": "1"}).status_code == 204

    assert "Agente Soporte" not in _ping(pedro, ticket)


def test_presence_is_kept_per_ticket(world, ticket):
    other = open_ticket(world.luis, world.soporte)

    presence.ping(ticket.pk, world.agente.user, typing=False)

    assert presence.others(other.pk, world.supervisor.user) == []
    assert [p.name for p in presence.others(ticket.pk, world.supervisor.user)] == ["Agente Soporte"]


def test_many_agents_are_listed_by_name(world, ticket):
    for agent in (world.supervisor, world.admin, world.agente):
        presence.ping(ticket.pk, agent.user, typing=agent is world.admin)

    present = presence.others(ticket.pk, world.otro.user)

    assert [(p.name, p.typing) for p in present] == [
        ("Admin", True),
        ("Agente Soporte", False),
        ("Supervisora", False),
    ]
