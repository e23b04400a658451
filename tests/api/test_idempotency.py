"""Idempotency-Key: a retried POST returns the first answer and has no second effect."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from atiende.api.idempotency import prune
from atiende.api.models import IdempotencyRecord
from atiende.tickets.models import Ticket
from tests.api import idempotency_urls
from tests.api.conftest import ApiTestClient, TokenFor, problem_of
from tests.conftest import World

URL = "/api/test/tickets/"
pytestmark = pytest.mark.urls("tests.api.idempotency_urls")


def post(client: ApiTestClient, body: dict[str, Any], key: str | None = "clave-1") -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(URL, body, format="json", headers=headers)


def test_a_retried_post_returns_the_first_answer_and_opens_one_ticket(
    api_client: ApiTestClient, luis_token: str
) -> None:
    api_client.bearer(luis_token)
    first = post(api_client, {"subject": "Sin internet"})
    again = post(api_client, {"subject": "Sin internet"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Ticket.objects.filter(subject="Sin internet").count() == 1


def test_without_a_key_each_post_is_its_own(api_client: ApiTestClient, luis_token: str) -> None:
    api_client.bearer(luis_token)
    post(api_client, {"subject": "Sin internet"}, key=None)
    post(api_client, {"subject": "Sin internet"}, key=None)
    assert Ticket.objects.filter(subject="Sin internet").count() == 2


def test_the_same_key_with_another_body_is_a_422_problem(api_client: ApiTestClient, luis_token: str) -> None:
    api_client.bearer(luis_token)
    post(api_client, {"subject": "Sin internet"})
    response = post(api_client, {"subject": "Otra cosa"})
    assert response.status_code == 422
    assert problem_of(response)["code"] == "idempotency_key_reused"
    assert not Ticket.objects.filter(subject="Otra cosa").exists()


def test_keys_belong_to_their_user(api_client: ApiTestClient, luis_token: str, carla_token: str) -> None:
    post(api_client.bearer(luis_token), {"subject": "Sin internet"})
    response = post(api_client.bearer(carla_token), {"subject": "Sin internet"})
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Ticket.objects.filter(subject="Sin internet").count() == 2


def test_a_refusal_is_not_kept_and_the_key_can_be_retried(api_client: ApiTestClient, luis_token: str) -> None:
    api_client.bearer(luis_token)
    refused = post(api_client, {"subject": ""})
    assert refused.status_code == 400
    assert problem_of(refused)["errors"] == [{"field": "subject", "message": "Falta el asunto."}]
    assert not IdempotencyRecord.objects.exists()


def test_a_malformed_key_is_refused(api_client: ApiTestClient, luis_token: str) -> None:
    response = post(api_client.bearer(luis_token), {"subject": "Sin internet"}, key="con espacio")
    assert response.status_code == 400
    assert problem_of(response)["errors"][0]["field"] == "Idempotency-Key"
    assert not Ticket.objects.exists()


def test_a_key_counts_for_a_day(api_client: ApiTestClient, luis_token: str) -> None:
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    api_client.bearer(luis_token)
    post(api_client, {"subject": "Sin internet"})
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        response = post(api_client, {"subject": "Otra cosa"})
    assert response.status_code == 201
    assert Ticket.objects.filter(subject="Otra cosa").count() == 1


def test_old_records_are_pruned(api_client: ApiTestClient, luis_token: str) -> None:
    from datetime import timedelta

    from django.utils import timezone

    post(api_client.bearer(luis_token), {"subject": "Sin internet"})
    assert prune() == 0
    assert prune(timezone.now() + timedelta(days=2)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_once_open_one_ticket(world: World, token_for: TokenFor) -> None:
    secret = token_for(world.luis.user)
    release = threading.Event()
    idempotency_urls.hold["release"] = release
    answers: list[Any] = []

    def send(started: threading.Event | None = None) -> None:
        try:
            client = ApiTestClient().bearer(secret)
            if started is not None:
                started.set()
            answers.append(post(client, {"subject": "Caída total"}, key="simultaneo"))
        finally:
            connection.close()

    try:
        first = threading.Thread(target=send)
        first.start()
        second_started = threading.Event()
        second = threading.Thread(target=send, args=(second_started,))
        second.start()
        assert second_started.wait(timeout=10)
        release.set()
        first.join(timeout=30)
        second.join(timeout=30)
    finally:
        idempotency_urls.hold.clear()
    assert len(answers) == 2
    assert {answer.status_code for answer in answers} == {201}
    assert answers[0].json() == answers[1].json()
    assert Ticket.objects.filter(subject="Caída total").count() == 1
