"""Every error is an RFC 9457 problem, in the request's language, naming fields."""

from __future__ import annotations

import pytest
from django.test import override_settings

from atiende.api.errors import field_errors
from tests.api.conftest import ApiTestClient, TokenFor, problem_of
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_a_problem_has_the_rfc_9457_members(api_client: ApiTestClient, world: World) -> None:
    response = api_client.get("/api/v1/me/")
    body = problem_of(response)
    assert response["Content-Type"] == "application/problem+json"
    assert body["type"] == "urn:atiende:problem:not_authenticated"
    assert body["status"] == 401
    assert body["title"]
    assert body["detail"]
    assert body["instance"] == "/api/v1/me/"


def test_errors_speak_spanish_by_default(api_client: ApiTestClient, world: World) -> None:
    body = problem_of(api_client.get("/api/v1/me/"))
    assert body["detail"] == "Las credenciales de autenticación no se proveyeron."


def test_errors_speak_english_when_asked(api_client: ApiTestClient, world: World) -> None:
    body = problem_of(api_client.get("/api/v1/me/", headers={"Accept-Language": "en-US,en;q=0.9"}))
    assert body["detail"] == "Authentication credentials were not provided."


def test_a_token_owner_who_prefers_english_gets_english(
    api_client: ApiTestClient, world: World, token_for: TokenFor
) -> None:
    world.otro.user.language = "en"
    world.otro.user.save()
    api_client.bearer(token_for(world.otro.user))
    body = problem_of(api_client.post("/api/v1/me/", {}, format="json"))
    assert body["detail"] == 'Method "POST" not allowed.'
    # …unless the request asks for Spanish.
    body = problem_of(api_client.post("/api/v1/me/", {}, format="json", headers={"Accept-Language": "es"}))
    assert body["detail"] == 'Método "POST" no permitido.'


def test_a_missing_page_is_a_404_problem_without_django_words(
    api_client: ApiTestClient, agente_token: str
) -> None:
    from django.http import Http404

    from atiende.api.errors import problem_handler

    response = problem_handler(Http404("No Ticket matches the given query."), {})
    assert response.status_code == 404
    assert response.data is not None
    assert "Ticket" not in response.data["detail"]


def test_domain_refusals_keep_their_words_and_field() -> None:
    from atiende.api.errors import problem_handler
    from atiende.errors import InvalidValue, NotAllowed

    invalid = problem_handler(InvalidValue("subject", "Falta el asunto."), {})
    assert invalid.status_code == 400
    assert invalid.data is not None
    assert invalid.data["errors"] == [{"field": "subject", "message": "Falta el asunto."}]
    assert invalid.data["detail"] == "Falta el asunto."
    refused = problem_handler(NotAllowed("No puede."), {})
    assert refused.status_code == 403
    assert refused.data is not None
    assert refused.data["code"] == "not_allowed"


def test_a_closed_ticket_is_a_409_conflict(world: World) -> None:
    from atiende.api.errors import problem_handler
    from atiende.tickets.exceptions import TicketClosed
    from tests.factories import open_ticket

    ticket = open_ticket(world.luis, world.soporte)
    response = problem_handler(TicketClosed(ticket), {})
    assert response.status_code == 409
    assert response.data is not None
    assert f"#{ticket.number}" in response.data["detail"]


def test_validation_errors_list_every_field() -> None:
    assert field_errors({"subject": ["Requerido."], "items": [{}, {"name": ["Muy largo."]}]}) == [
        {"field": "subject", "message": "Requerido."},
        {"field": "items.1.name", "message": "Muy largo."},
    ]
    assert field_errors({"non_field_errors": ["Nada."]}) == [{"field": "", "message": "Nada."}]


@override_settings(DEBUG=False)
def test_an_unexpected_error_is_a_500_problem_without_a_traceback(
    api_client: ApiTestClient, agente_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from atiende.api import views_core

    def explode(*args: object, **kwargs: object) -> object:
        raise RuntimeError("secreto interno en /srv/atiende")

    monkeypatch.setattr(views_core.MeView, "get", explode)
    response = api_client.bearer(agente_token).get("/api/v1/me/")
    body = problem_of(response)
    assert response.status_code == 500
    assert "secreto" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert body["code"] == "server_error"
