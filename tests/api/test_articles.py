"""The knowledge base through the API: a contact's token reads what the portal shows that
contact and nothing more (never an internal article, another company's, or a draft, in
the list, in a search or by id); engineers read the internal ones too."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from atiende.accounts.models import User
from atiende.api import tokens
from atiende.api.models import Scope
from atiende.knowledge.models import Article, ArticleState, Visibility
from tests.conftest import World
from tests.knowledge.helpers import write_article

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


def token_client(user: User, language: str = "es") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(
        HTTP_AUTHORIZATION="Bearer " + tokens.create_token(user, name="KB", scope=Scope.READ).secret
    )
    return client


@pytest.fixture
def shelf(world: World) -> dict[str, Article]:
    author = world.agente
    return {
        "public": write_article(
            author,
            "Impresora atascada: cómo retirar el papel",
            english=("Jammed printer: removing the paper", "Open the tray."),
        ),
        "acme": write_article(
            author, "Impresora del piso 5 de Acme", visibility=Visibility.COMPANIES, companies=[world.acme]
        ),
        "globex": write_article(
            author,
            "Impresora de la bodega de Globex",
            visibility=Visibility.COMPANIES,
            companies=[world.globex],
        ),
        "internal": write_article(
            author, "Impresora: claves del panel de servicio", visibility=Visibility.INTERNAL
        ),
        "draft": write_article(author, "Impresora nueva (borrador)", state=ArticleState.DRAFT),
    }


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_contact_reads_the_public_articles_and_their_companys_only(
    world: World, shelf: dict[str, Article]
) -> None:
    client = token_client(world.luis.user)  # Acme

    assert ids(client.get(LIST)) == {shelf["public"].pk, shelf["acme"].pk}
    assert ids(client.get(LIST, {"q": "impresora"})) == {shelf["public"].pk, shelf["acme"].pk}
    for hidden in ("globex", "internal", "draft"):
        assert client.get(f"{LIST}{shelf[hidden].pk}/").status_code == 404, hidden
    detail = client.get(f"{LIST}{shelf['acme'].pk}/")
    assert detail.status_code == 200
    assert detail.json()["title"] == "Impresora del piso 5 de Acme" and "<p>" in detail.json()["html"]


def test_another_companys_contact_sees_the_other_companys_article(
    world: World, shelf: dict[str, Article]
) -> None:
    client = token_client(world.carla.user)  # Globex

    assert ids(client.get(LIST)) == {shelf["public"].pk, shelf["globex"].pk}
    assert client.get(f"{LIST}{shelf['acme'].pk}/").status_code == 404


def test_engineers_read_internal_articles_but_never_drafts(world: World, shelf: dict[str, Article]) -> None:
    client = token_client(world.agente.user)

    found = ids(client.get(LIST, {"q": "impresoras"}))  # another ending of the same word

    assert found == {shelf[name].pk for name in ("public", "acme", "globex", "internal")}
    assert client.get(f"{LIST}{shelf['draft'].pk}/").status_code == 404


def test_in_english_only_the_articles_written_in_english(world: World, shelf: dict[str, Article]) -> None:
    client = token_client(world.luis.user, "en")

    response = client.get(LIST)

    assert ids(response) == {shelf["public"].pk}
    assert response.json()["results"][0]["title"] == "Jammed printer: removing the paper"


def test_a_search_gives_one_page_of_the_best_matches(world: World, shelf: dict[str, Article]) -> None:
    client = token_client(world.agente.user)

    response = client.get(LIST, {"q": "papel atascada", "page_size": "1"})

    assert [row["id"] for row in response.json()["results"]] == [shelf["public"].pk]
    assert response.json()["next"] is None


@pytest.mark.parametrize("pk", ["0", "99999999999999999999", "-1"])
def test_ids_that_do_not_exist_are_404(world: World, shelf: dict[str, Article], pk: str) -> None:
    assert token_client(world.agente.user).get(f"{LIST}{pk}/").status_code == 404


def test_without_a_token_nothing(shelf: dict[str, Article]) -> None:
    assert APIClient().get(LIST).status_code == 401
    assert APIClient().get(f"{LIST}{shelf['public'].pk}/").status_code == 401


def test_an_oversized_search_is_cut_not_refused(world: World, shelf: dict[str, Article]) -> None:
    response = token_client(world.luis.user).get(LIST, {"q": "impresora " * 500})

    assert response.status_code == 200
