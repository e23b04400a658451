"""`/api/v1/me/` and the catalog: who is calling, and what each role may list."""

from __future__ import annotations

import pytest

from tests.api.conftest import ApiTestClient, TokenFor, problem_of
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_an_agent_sees_their_role_queues_and_token(api_client: ApiTestClient, agente_token: str) -> None:
    me = api_client.bearer(agente_token).get("/api/v1/me/").json()
    assert me["role"] == "agent"
    assert [queue["slug"] for queue in me["queues"]] == ["soporte"]
    assert me["companies"] == []
    assert me["authentication"] == "token"
    assert me["token"]["scopes"] == ["read", "write"]
    assert me["token"]["prefix"] == agente_token.split("_")[1]
    assert agente_token.split("_")[2] not in str(me)


def test_an_admin_has_every_queue(api_client: ApiTestClient, admin_token: str) -> None:
    me = api_client.bearer(admin_token).get("/api/v1/me/").json()
    assert me["role"] == "admin"
    assert {queue["slug"] for queue in me["queues"]} == {"soporte", "redes"}


def test_a_contact_sees_their_companies(api_client: ApiTestClient, luis_token: str, world: World) -> None:
    me = api_client.bearer(luis_token).get("/api/v1/me/").json()
    assert me["role"] == "contact"
    assert me["queues"] == []
    assert me["companies"] == [{"id": world.acme.pk, "name": "Acme S.A.S.", "sees_company_tickets": False}]


def test_a_company_wide_contact_is_told_so(api_client: ApiTestClient, carla_token: str, world: World) -> None:
    me = api_client.bearer(carla_token).get("/api/v1/me/").json()
    assert me["companies"] == [{"id": world.globex.pk, "name": "Globex Ltda.", "sees_company_tickets": True}]


def test_a_read_token_says_so(
    api_client: ApiTestClient, read_token: str, token_for: TokenFor, world: World
) -> None:
    assert api_client.bearer(read_token).get("/api/v1/me/").json()["token"]["scopes"] == ["read"]
    other = token_for(world.luis.user, scopes=("read",))
    assert api_client.bearer(other).get("/api/v1/me/").json()["token"]["scopes"] == ["read"]


def test_an_agent_lists_only_their_queues(api_client: ApiTestClient, agente_token: str) -> None:
    queues = api_client.bearer(agente_token).get("/api/v1/catalog/queues/").json()
    assert [queue["slug"] for queue in queues] == ["soporte"]


def test_a_contact_lists_the_queues_the_portal_offers(api_client: ApiTestClient, luis_token: str) -> None:
    queues = api_client.bearer(luis_token).get("/api/v1/catalog/queues/").json()
    assert {queue["slug"] for queue in queues} == {"soporte", "redes"}
    assert set(queues[0]) == {"id", "name", "slug", "description"}


@pytest.mark.parametrize("catalog", ["types", "categories", "statuses"])
def test_contacts_and_agents_read_the_ticket_fields(
    api_client: ApiTestClient, luis_token: str, agente_token: str, catalog: str
) -> None:
    from atiende.tickets.models import Category

    Category.objects.create(name_es="Red")
    for secret in (luis_token, agente_token):
        response = api_client.bearer(secret).get(f"/api/v1/catalog/{catalog}/")
        assert response.status_code == 200
        assert response.json(), catalog


@pytest.mark.parametrize("catalog", ["priorities", "tags"])
def test_contacts_are_refused_what_the_portal_does_not_show(
    api_client: ApiTestClient, luis_token: str, agente_token: str, catalog: str
) -> None:
    response = api_client.bearer(luis_token).get(f"/api/v1/catalog/{catalog}/")
    assert response.status_code == 403
    problem_of(response)
    assert api_client.bearer(agente_token).get(f"/api/v1/catalog/{catalog}/").status_code == 200


def test_statuses_read_by_contacts_use_the_portal_names(
    api_client: ApiTestClient, luis_token: str, agente_token: str
) -> None:
    from atiende.tickets.models import Status

    status = Status.objects.exclude(portal_name_es="").first() or Status.objects.first()
    assert status is not None
    status.portal_name_es = "Esperando su respuesta"
    status.save()
    by_contact = {
        s["id"]: s["name"] for s in api_client.bearer(luis_token).get("/api/v1/catalog/statuses/").json()
    }
    by_agent = {
        s["id"]: s["name"] for s in api_client.bearer(agente_token).get("/api/v1/catalog/statuses/").json()
    }
    assert by_contact[status.pk] == "Esperando su respuesta"
    assert by_agent[status.pk] == status.name_es


def test_the_catalog_answers_in_english_when_asked(api_client: ApiTestClient, luis_token: str) -> None:
    from atiende.tickets.models import TicketType

    kind = TicketType.objects.exclude(name_en="").first()
    assert kind is not None
    names = {
        t["id"]: t["name"]
        for t in api_client.bearer(luis_token)
        .get("/api/v1/catalog/types/", headers={"Accept-Language": "en"})
        .json()
    }
    assert names[kind.pk] == kind.name_en


def test_the_session_sees_the_same(api_client: ApiTestClient, world: World, token_for: TokenFor) -> None:
    api_client.force_login(world.otro.user)
    me = api_client.get("/api/v1/me/").json()
    assert [queue["slug"] for queue in me["queues"]] == ["redes"]
    assert me["token"] is None
