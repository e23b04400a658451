"""Token authentication: who a bearer token is, and every way a token stops being one."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from atiende.api.models import ApiToken
from tests.api.conftest import ApiTestClient, TokenFor, problem_of, token_of
from tests.conftest import World

ME = "/api/v1/me/"
pytestmark = pytest.mark.django_db


def test_me_url_is_named() -> None:
    assert reverse("api:me") == ME


def test_a_valid_token_acts_as_its_owner(api_client: ApiTestClient, agente_token: str, world: World) -> None:
    response = api_client.bearer(agente_token).get(ME)
    assert response.status_code == 200
    assert response.json()["email"] == world.agente.user.email


def test_no_credentials_is_a_401_problem_naming_the_bearer_scheme(
    api_client: ApiTestClient, world: World
) -> None:
    response = api_client.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert problem_of(response)["code"] == "not_authenticated"


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer a b", "Bearer notatoken", "Bearer atd_short_secret", "Bearer atd_abcdefghij_"],
)
def test_a_malformed_header_is_refused(api_client: ApiTestClient, world: World, header: str) -> None:
    api_client.credentials(HTTP_AUTHORIZATION=header)
    response = api_client.get(ME)
    assert response.status_code == 401
    assert problem_of(response)["code"] == "token_invalid"


def test_another_scheme_is_not_a_token(api_client: ApiTestClient, world: World) -> None:
    api_client.credentials(HTTP_AUTHORIZATION="Token x")
    assert problem_of(api_client.get(ME))["code"] == "not_authenticated"


def test_a_wrong_secret_with_a_real_prefix_is_refused(api_client: ApiTestClient, agente_token: str) -> None:
    forged = agente_token[:-1] + ("A" if agente_token[-1] != "A" else "B")
    response = api_client.bearer(forged).get(ME)
    assert response.status_code == 401
    assert problem_of(response)["code"] == "token_invalid"


def test_an_expired_token_is_refused(api_client: ApiTestClient, expired_token: str) -> None:
    response = api_client.bearer(expired_token).get(ME)
    assert response.status_code == 401
    assert problem_of(response)["code"] == "token_expired"


def test_a_token_expires_at_its_time(api_client: ApiTestClient, token_for: TokenFor, world: World) -> None:
    secret = token_for(world.agente.user, expires_at=timezone.now() + timedelta(hours=1))
    assert api_client.bearer(secret).get(ME).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert api_client.get(ME).status_code == 401


def test_a_revoked_token_is_refused(api_client: ApiTestClient, revoked_token: str) -> None:
    response = api_client.bearer(revoked_token).get(ME)
    assert response.status_code == 401
    assert problem_of(response)["code"] == "token_revoked"


def test_a_deactivated_owner_loses_their_token(
    api_client: ApiTestClient, luis_token: str, world: World
) -> None:
    world.luis.user.is_active = False
    world.luis.user.save()
    response = api_client.bearer(luis_token).get(ME)
    assert response.status_code == 401
    assert problem_of(response)["code"] == "user_inactive"


def test_a_read_token_cannot_post(api_client: ApiTestClient, read_token: str) -> None:
    assert api_client.bearer(read_token).get(ME).status_code == 200
    response = api_client.post(ME, {}, format="json")
    assert response.status_code == 403
    assert problem_of(response)["code"] == "read_only_token"


def test_a_write_token_passes_the_scope_check(api_client: ApiTestClient, agente_token: str) -> None:
    # me has no POST: past authentication and scope, the method itself is refused.
    assert api_client.bearer(agente_token).post(ME, {}, format="json").status_code == 405


def test_the_database_keeps_only_the_hash(agente_token: str) -> None:
    token = token_of(agente_token)
    secret = agente_token.split("_")[2]
    assert secret not in token.secret_hash
    assert not ApiToken.objects.filter(secret_hash__contains=secret).exists()
    assert len(token.secret_hash) == 64


def test_last_use_is_written_at_most_once_a_minute(
    api_client: ApiTestClient, agente_token: str, django_assert_max_num_queries: object
) -> None:
    api_client.bearer(agente_token)
    api_client.get(ME)
    first = token_of(agente_token).last_used_at
    assert first is not None
    api_client.get(ME)
    assert token_of(agente_token).last_used_at == first
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        api_client.get(ME)
    later = token_of(agente_token).last_used_at
    assert later is not None
    assert later > first


def test_the_session_still_works_for_the_browser(api_client: ApiTestClient, world: World) -> None:
    api_client.force_login(world.luis.user)
    response = api_client.get(ME)
    assert response.status_code == 200
    assert response.json()["authentication"] == "session"


def test_a_session_post_without_csrf_is_refused(world: World) -> None:
    client = ApiTestClient(enforce_csrf_checks=True)
    client.force_login(world.agente.user)
    response = client.post(ME, {}, format="json")
    assert response.status_code == 403
    assert "csrf" in problem_of(response)["detail"].lower()
