"""The API tokens pages of the desk and the portal: create shows the secret once, the list
never shows it, revoke works, and another person's token is a 404."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from atiende.accounts.models import User
from atiende.api.models import ApiToken
from tests.api.conftest import ApiTestClient, TokenFor, token_of
from tests.conftest import World

pytestmark = pytest.mark.django_db

PAGES = {"desk": "/desk/account/tokens/", "portal": "/portal/account/security/tokens/"}


def person(world: World, surface: str) -> User:
    return world.agente.user if surface == "desk" else world.luis.user


def secret_in(html: str) -> str | None:
    found = re.search(r"atd_[a-z0-9]{10}_[A-Za-z0-9]{40}", html)
    return found.group(0) if found else None


@pytest.mark.parametrize("surface", ["desk", "portal"])
def test_creating_a_token_shows_the_secret_once_and_it_works(
    client: Client, api_client: ApiTestClient, world: World, surface: str
) -> None:
    client.force_login(person(world, surface))
    response = client.post(PAGES[surface], {"name": "Intranet", "scope": "read", "expires_on": ""})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = secret_in(response.content.decode())
    assert secret is not None
    listing = client.get(PAGES[surface]).content.decode()
    assert "Intranet" in listing
    assert secret_in(listing) is None
    assert secret.split("_")[2] not in listing
    assert api_client.bearer(secret).get("/api/v1/me/").json()["email"] == person(world, surface).email


@pytest.mark.parametrize("surface", ["desk", "portal"])
def test_revoking_stops_the_token(
    client: Client, api_client: ApiTestClient, world: World, token_for: TokenFor, surface: str
) -> None:
    user = person(world, surface)
    secret = token_for(user)
    client.force_login(user)
    response = client.post(f"{PAGES[surface]}{token_of(secret).pk}/revoke/")
    assert response.status_code == 302
    assert token_of(secret).revoked_at is not None
    assert api_client.bearer(secret).get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize("surface", ["desk", "portal"])
def test_another_persons_token_is_a_404(
    client: Client, world: World, token_for: TokenFor, surface: str
) -> None:
    others = {"desk": world.otro.user, "portal": world.carla.user}
    secret = token_for(others[surface])
    client.force_login(person(world, surface))
    response = client.post(f"{PAGES[surface]}{token_of(secret).pk}/revoke/")
    assert response.status_code == 404
    assert token_of(secret).revoked_at is None
    assert "Pruebas" not in client.get(PAGES[surface]).content.decode()


def test_the_pages_belong_to_their_surface(client: Client, world: World) -> None:
    client.force_login(world.luis.user)
    assert client.get(PAGES["desk"]).status_code == 404
    client.force_login(world.agente.user)
    assert client.get(PAGES["portal"]).status_code == 404


def test_a_token_needs_a_name_and_a_future_expiry(client: Client, world: World) -> None:
    client.force_login(world.agente.user)
    response = client.post(PAGES["desk"], {"name": " ", "scope": "write"})
    assert secret_in(response.content.decode()) is None
    response = client.post(PAGES["desk"], {"name": "Viejo", "scope": "write", "expires_on": "2001-01-01"})
    assert secret_in(response.content.decode()) is None
    assert not ApiToken.objects.exists()


def test_the_desk_top_bar_and_the_security_page_link_to_the_tokens(client: Client, world: World) -> None:
    client.force_login(world.agente.user)
    assert (
        PAGES["desk"] in client.get("/desk/").content.decode()
        or PAGES["desk"] in client.get("/desk/", follow=True).content.decode()
    )
    client.force_login(world.luis.user)
    assert PAGES["portal"] in client.get("/portal/account/security/").content.decode()


def test_an_admin_gives_an_integration_a_service_token(client: Client, api_client: ApiTestClient) -> None:
    from atiende.accounts.models import AgentRole
    from tests.factories import make_agent

    root = make_agent("raiz@atiende.test", role=AgentRole.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(root.user)
    response = client.post(
        "/admin/api/apitoken/add/",
        {
            "name": "Facturación",
            "scope": "read",
            "integration_name": "Sistema de facturación",
            "integration_email": "facturacion@integraciones.atiende.test",
            "integration_role": "supervisor",
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    secret = secret_in(response.content.decode())
    assert secret is not None
    token = token_of(secret)
    assert token.kind == "service"
    assert token.created_by == root.user
    assert not token.owner.has_usable_password()
    me = api_client.bearer(secret).get("/api/v1/me/").json()
    assert me["email"] == "facturacion@integraciones.atiende.test"
    assert me["role"] == "supervisor"
    assert me["token"]["kind"] == "service"
    assert secret_in(client.get("/admin/api/apitoken/").content.decode()) is None
    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert api_client.get("/api/v1/me/").status_code == 401


def test_a_staff_member_who_is_no_admin_cannot_issue_service_tokens(client: Client, world: World) -> None:
    client.force_login(world.supervisor.user)
    world.supervisor.user.is_staff = True
    world.supervisor.user.save()
    assert client.get("/admin/api/apitoken/add/").status_code == 403
