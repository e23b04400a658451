"""An unknown URL under `/api/` is a 404 problem like any other, never Django's HTML page."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from tests.api.conftest import ApiTestClient, problem_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/",
        "/api/v1/",
        "/api/v1/nothing-here/",
        "/api/v2/tickets/",
        "/api/v1/tickets/1/nothing/",
        "/api/v1/attachments/%0A/content/",
    ],
)
def test_an_unknown_api_url_answers_a_404_problem(
    api_client: ApiTestClient, agente_token: str, url: str
) -> None:
    response = api_client.bearer(agente_token).get(url)
    body = problem_of(response)
    assert response.status_code == 404
    assert body["type"] == "urn:atiende:problem:not_found"
    assert body["instance"] == unquote(url)


def test_an_unknown_api_url_is_a_problem_for_anonymous_writes_too(api_client: ApiTestClient) -> None:
    response = api_client.post("/api/v1/nothing-here/", {"a": 1}, format="json")
    assert response.status_code == 404
    assert problem_of(response)["code"] == "not_found"


def test_the_unknown_url_problem_is_the_same_as_a_missing_ticket(
    api_client: ApiTestClient, agente_token: str
) -> None:
    api_client.bearer(agente_token)
    unknown = problem_of(api_client.get("/api/v1/nothing-here/"))
    missing = problem_of(api_client.get("/api/v1/tickets/999999/"))
    assert {key: value for key, value in unknown.items() if key != "instance"} == {
        key: value for key, value in missing.items() if key != "instance"
    }


def test_a_negative_ticket_id_answers_a_404_problem(api_client: ApiTestClient, agente_token: str) -> None:
    response = api_client.bearer(agente_token).get("/api/v1/tickets/-1/")
    assert response.status_code == 404
    assert problem_of(response)["instance"] == "/api/v1/tickets/-1/"


def test_the_real_routes_still_answer(api_client: ApiTestClient, agente_token: str) -> None:
    assert api_client.bearer(agente_token).get("/api/v1/me/").status_code == 200
    assert api_client.get("/api/schema/").status_code == 200
