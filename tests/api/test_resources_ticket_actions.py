"""What is done to one ticket through the API: changing fields (with If-Match), the
thread, closing, links, merging, service levels and time."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from atiende.accounts.models import User
from atiende.tickets import actions, ledger
from atiende.tickets.attachments import Upload
from atiende.tickets.models import (
    Channel,
    HistoryEvent,
    LinkKind,
    MessageKind,
    Priority,
    SenderCheck,
    Ticket,
    TicketLink,
    TimeEntry,
)
from tests.conftest import World
from tests.factories import open_ticket

pytestmark = pytest.mark.django_db


def as_user(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def url(ticket: Ticket, action: str = "") -> str:
    return f"/api/v1/tickets/{ticket.number}/" + (f"{action}/" if action else "")


@pytest.fixture
def ticket(world: World) -> Ticket:
    return open_ticket(world.luis, world.soporte, subject="Impresora atascada")


def other_priority(ticket: Ticket) -> Priority:
    priority = Priority.objects.exclude(pk=ticket.priority_id).first()
    assert priority is not None
    return priority


def test_an_agent_changes_fields_with_the_current_etag(world: World, ticket: Ticket) -> None:
    client = as_user(world.agente.user)
    etag = client.get(url(ticket))["ETag"]
    priority = other_priority(ticket)
    response = client.patch(
        url(ticket), {"priority": priority.pk, "tags": ["vip"]}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] != etag
    assert response.json()["priority"]["id"] == priority.pk
    assert response.json()["tags"] == ["vip"]
    assert HistoryEvent.objects.filter(ticket=ticket, field="priority", channel=Channel.API).exists()
    assert ledger.verify(ticket) == []


def test_a_stale_if_match_is_refused_with_412_and_changes_nothing(world: World, ticket: Ticket) -> None:
    client = as_user(world.agente.user)
    etag = client.get(url(ticket))["ETag"]
    actions.change_ticket(world.agente.user, ticket, subject="Cambiado por otro")
    response = client.patch(url(ticket), {"subject": "Mi cambio"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert response["Content-Type"].startswith("application/problem+json")
    ticket.refresh_from_db()
    assert ticket.subject == "Cambiado por otro"


def test_without_if_match_the_change_applies(world: World, ticket: Ticket) -> None:
    response = as_user(world.agente.user).patch(url(ticket), {"subject": "Sin versión"}, format="json")
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.subject == "Sin versión"


def test_the_requester_changes_what_the_portal_lets_them_and_nothing_else(
    world: World, ticket: Ticket
) -> None:
    client = as_user(world.luis.user)
    assert client.patch(url(ticket), {"subject": "Mejor asunto"}, format="json").status_code == 200
    refused = client.patch(url(ticket), {"priority": other_priority(ticket).pk}, format="json")
    assert refused.status_code == 403
    ticket.refresh_from_db()
    assert (ticket.subject, ticket.priority.is_default) == ("Mejor asunto", True)


def test_agents_of_other_queues_and_other_companies_get_404(world: World, ticket: Ticket) -> None:
    for user in (world.otro.user, world.carla.user):
        client = as_user(user)
        assert client.patch(url(ticket), {"subject": "x"}, format="json").status_code == 404
        assert client.post(url(ticket, "replies"), {"text": "hola"}, format="json").status_code == 404
        assert client.get(url(ticket, "messages")).status_code == 404
        assert client.get(url(ticket, "sla")).status_code == 404
    ticket.refresh_from_db()
    assert ticket.subject == "Impresora atascada"


def test_a_reply_through_the_api_is_a_public_message_emailed_like_the_webs(
    world: World, ticket: Ticket
) -> None:
    response = as_user(world.agente.user).post(
        url(ticket, "replies"), {"text": "Ya lo revisamos."}, format="json"
    )
    assert response.status_code == 201, response.content
    message = ticket.messages.get(pk=response.json()["id"])
    assert (message.kind, message.channel) == (MessageKind.PUBLIC, Channel.API)
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None
    assert ledger.verify(ticket) == []


def test_a_reply_to_a_closed_ticket_is_a_409_problem_naming_the_way_forward(
    world: World, ticket: Ticket
) -> None:
    actions.close_ticket(world.agente.user, ticket)
    response = as_user(world.luis.user).post(url(ticket, "replies"), {"text": "¿Sigue?"}, format="json")
    assert response.status_code == 409
    body: dict[str, Any] = response.json()
    assert f"#{ticket.number}" in body["detail"]
    assert ticket.messages.count() == 1


def test_notes_are_for_agents_and_contacts_never_read_them(world: World, ticket: Ticket) -> None:
    assert (
        as_user(world.luis.user).post(url(ticket, "notes"), {"text": "x"}, format="json").status_code == 403
    )
    agent = as_user(world.agente.user)
    assert agent.post(url(ticket, "notes"), {"text": "nota interna"}, format="json").status_code == 201
    actions.add_reply(
        world.luis.user,
        ticket,
        channel=Channel.EMAIL,
        text="respuesta retenida",
        sender_check=SenderCheck.HELD,
    )
    agent_texts = [m["text"] for m in agent.get(url(ticket, "messages")).json()["results"]]
    contact_texts = [
        m["text"] for m in as_user(world.ana.user).get(url(ticket, "messages")).json()["results"]
    ]
    assert "nota interna" in agent_texts and "respuesta retenida" in agent_texts
    assert contact_texts == ["Desde esta mañana la impresora del piso 2 no responde."]


def test_the_requester_closes_their_ticket_and_a_coworker_cannot(world: World, ticket: Ticket) -> None:
    assert as_user(world.ana.user).post(url(ticket, "close")).status_code == 403
    response = as_user(world.luis.user).post(url(ticket, "close"))
    assert response.status_code == 200
    assert response.json()["status"]["kind"] == "closed"


def test_links_and_merges_call_the_actions(world: World, ticket: Ticket) -> None:
    other = open_ticket(world.luis, world.soporte, subject="Otra vez la impresora")
    client = as_user(world.agente.user)
    linked = client.post(url(ticket, "links"), {"target": other.number, "kind": "related"}, format="json")
    assert linked.status_code == 201
    assert TicketLink.objects.filter(source=ticket, target=other, kind=LinkKind.RELATED).exists()
    merged = client.post(url(other, "merge"), {"into": ticket.number}, format="json")
    assert merged.status_code == 200, merged.content
    assert merged.json()["number"] == ticket.number
    other.refresh_from_db()
    assert other.is_closed


def test_a_link_to_a_ticket_of_another_company_looks_like_one_that_does_not_exist(
    world: World, ticket: Ticket
) -> None:
    foreign = open_ticket(world.carla, world.redes)
    response = as_user(world.agente.user).post(
        url(ticket, "links"), {"target": foreign.number}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "target"
    assert not TicketLink.objects.exists()


def test_the_sla_state_is_readable_by_whoever_sees_the_ticket(world: World, ticket: Ticket) -> None:
    body = as_user(world.luis.user).get(url(ticket, "sla")).json()
    assert body["state"] in {"on_time", "at_risk", "breached"}
    assert isinstance(body["targets"], list)


def test_agents_record_time_and_contacts_never_see_it(world: World, ticket: Ticket) -> None:
    agent = as_user(world.agente.user)
    created = agent.post(
        url(ticket, "time-entries"), {"minutes": 30, "note": "Cambio de tóner"}, format="json"
    )
    assert created.status_code == 201, created.content
    assert TimeEntry.objects.get(ticket=ticket).minutes == 30
    assert [e["minutes"] for e in agent.get(url(ticket, "time-entries")).json()["results"]] == [30]
    assert as_user(world.luis.user).get(url(ticket, "time-entries")).status_code == 404
    assert (
        as_user(world.luis.user).post(url(ticket, "time-entries"), {"minutes": 5}, format="json").status_code
        == 404
    )


@pytest.mark.parametrize("replies", [0, 20])
def test_the_thread_costs_the_same_queries_however_long(
    world: World, ticket: Ticket, replies: int, django_assert_num_queries: Any
) -> None:
    for n in range(replies):
        actions.add_reply(
            world.agente.user, ticket, channel=Channel.WEB, text=f"r{n}", attachments=[Upload("a.txt", b"a")]
        )
    client = as_user(world.agente.user)
    client.get(url(ticket, "messages"))
    with django_assert_num_queries(5):
        response = client.get(url(ticket, "messages"))
    assert len(response.json()["results"]) == replies + 1
