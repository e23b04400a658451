"""Companies, sites, contracts and contacts through the API."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from atiende.accounts.models import Contact, User
from atiende.outbox.models import OutboundEmail
from atiende.tickets.models import Contract, Service
from tests.conftest import World
from tests.factories import make_contact, open_ticket

pytestmark = pytest.mark.django_db


def as_user(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def names(response: object) -> list[str]:
    assert getattr(response, "status_code", None) == 200
    return [row["name"] for row in response.json()["results"]]  # type: ignore[attr-defined]


def test_agents_read_every_company_and_contacts_only_their_own(world: World) -> None:
    assert names(as_user(world.otro.user).get("/api/v1/companies/")) == ["Acme S.A.S.", "Globex Ltda."]
    assert names(as_user(world.luis.user).get("/api/v1/companies/")) == ["Acme S.A.S."]
    assert names(as_user(world.sofia.user).get("/api/v1/companies/")) == ["Acme S.A.S.", "Globex Ltda."]


def test_another_companys_page_sites_and_contracts_are_not_found_for_a_contact(world: World) -> None:
    client = as_user(world.carla.user)
    for path in ("", "sites/", "contracts/"):
        assert client.get(f"/api/v1/companies/{world.acme.pk}/{path}").status_code == 404
        assert client.get(f"/api/v1/companies/{world.globex.pk}/{path}").status_code == 200


def test_sites_and_contracts_of_a_company(world: World) -> None:
    service = Service.objects.create(name="Mesa de ayuda")
    Contract.objects.create(
        organization=world.acme, service=service, reference="C-1", valid_from=datetime.date(2020, 1, 1)
    )
    Contract.objects.create(
        organization=world.acme,
        service=service,
        reference="C-0",
        valid_from=datetime.date(2010, 1, 1),
        valid_to=datetime.date(2011, 1, 1),
    )
    assert names(as_user(world.luis.user).get(f"/api/v1/companies/{world.acme.pk}/sites/")) == ["Sede Norte"]
    agent_view = as_user(world.agente.user).get(f"/api/v1/companies/{world.acme.pk}/contracts/").json()
    assert sorted((c["reference"], c["in_force"]) for c in agent_view["results"]) == [
        ("C-0", False),
        ("C-1", True),
    ]
    contact_view = as_user(world.luis.user).get(f"/api/v1/companies/{world.acme.pk}/contracts/").json()
    assert [c["reference"] for c in contact_view["results"]] == ["C-1"]


def test_the_contact_directory_is_for_agents(world: World) -> None:
    assert as_user(world.ana.user).get("/api/v1/contacts/").status_code == 404
    emails = [row["email"] for row in as_user(world.agente.user).get("/api/v1/contacts/").json()["results"]]
    assert "carla@globex.test" in emails


def test_an_agent_creates_and_invites_a_contact_of_a_company_they_serve(world: World) -> None:
    open_ticket(world.luis, world.soporte)  # Acme is served by the Soporte queue
    response = as_user(world.agente.user).post(
        "/api/v1/contacts/",
        {"email": "nuevo@acme.test", "full_name": "Nuevo Acme", "company": world.acme.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    contact = Contact.objects.get(user__email="nuevo@acme.test")
    assert response.json()["companies"][0]["company"] == world.acme.pk
    assert any("nuevo@acme.test" in email.to for email in OutboundEmail.objects.all())
    assert contact.memberships.get().organization == world.acme


def test_a_plain_agent_cannot_create_contacts_outside_the_domains_or_companies_they_serve(
    world: World,
) -> None:
    open_ticket(world.luis, world.soporte)
    client = as_user(world.agente.user)
    outside = client.post(
        "/api/v1/contacts/",
        {"email": "yo@gmail.test", "full_name": "Yo", "company": world.acme.pk},
        format="json",
    )
    assert outside.status_code == 400
    assert outside.json()["errors"][0]["field"] == "email"
    unserved = client.post(
        "/api/v1/contacts/",
        {"email": "nuevo@globex.test", "full_name": "Nuevo", "company": world.globex.pk},
        format="json",
    )
    assert unserved.status_code == 400
    wide = client.post(
        "/api/v1/contacts/",
        {
            "email": "jefe@acme.test",
            "full_name": "Jefe",
            "company": world.acme.pk,
            "sees_company_tickets": True,
        },
        format="json",
    )
    assert wide.status_code == 403
    assert not Contact.objects.filter(
        user__email__in=["yo@gmail.test", "nuevo@globex.test", "jefe@acme.test"]
    )


def test_deactivating_a_contact_blocks_them_and_other_queues_agents_get_404(world: World) -> None:
    open_ticket(world.luis, world.soporte)
    path = f"/api/v1/contacts/{world.luis.pk}/deactivate/"
    assert as_user(world.otro.user).post(path).status_code == 404
    assert as_user(world.ana.user).post(path).status_code == 404
    response = as_user(world.agente.user).post(path)
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    world.luis.user.refresh_from_db()
    assert not world.luis.user.is_active


def test_the_directory_lists_search_like_the_desks(world: World) -> None:
    client = as_user(world.agente.user)
    assert names(client.get("/api/v1/companies/", {"q": "globex"})) == ["Globex Ltda."]
    assert names(client.get("/api/v1/contacts/", {"q": "Globex"})) == ["Carla Globex", "Sofía Ambas"]
    assert names(as_user(world.luis.user).get("/api/v1/companies/", {"q": "globex"})) == []


@pytest.mark.parametrize("extra", [0, 25])
def test_the_contact_list_costs_the_same_queries_however_many(
    world: World, extra: int, django_assert_num_queries: Any
) -> None:
    for n in range(extra):
        make_contact(f"c{n}@acme.test", world.acme, world.globex)
    client = as_user(world.agente.user)
    client.get("/api/v1/contacts/")
    with django_assert_num_queries(2):
        response = client.get("/api/v1/contacts/")
    assert len(response.json()["results"]) == 4 + extra
