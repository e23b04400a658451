"""Rate limits per token (per user on the session) with 429 and Retry-After."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.api.conftest import ApiTestClient, problem_of
from tests.conftest import World

pytestmark = pytest.mark.django_db


@override_settings(ATIENDE_API_RATE="3/min")
def test_past_the_rate_a_token_gets_429_with_retry_after(
    api_client: ApiTestClient, agente_token: str
) -> None:
    api_client.bearer(agente_token)
    assert [api_client.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert problem_of(response)["code"] == "throttled"


@override_settings(ATIENDE_API_RATE="2/min")
def test_each_token_has_its_own_count(api_client: ApiTestClient, agente_token: str, luis_token: str) -> None:
    api_client.bearer(agente_token)
    for _ in range(2):
        api_client.get("/api/v1/me/")
    assert api_client.get("/api/v1/me/").status_code == 429
    assert api_client.bearer(luis_token).get("/api/v1/me/").status_code == 200


@override_settings(ATIENDE_API_RATE="2/min")
def test_the_session_is_counted_per_user(api_client: ApiTestClient, world: World) -> None:
    api_client.force_login(world.luis.user)
    for _ in range(2):
        assert api_client.get("/api/v1/me/").status_code == 200
    assert api_client.get("/api/v1/me/").status_code == 429
    other = ApiTestClient()
    other.force_login(world.carla.user)
    assert other.get("/api/v1/me/").status_code == 200
