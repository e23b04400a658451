from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from atiende.knowledge import access
from atiende.knowledge.models import ArticleState, Visibility
from tests.conftest import World
from tests.knowledge.helpers import write_article


@pytest.fixture
def articles(world: World) -> dict[str, int]:
    return {
        "public": write_article(world.agente, "Configurar la impresora").pk,
        "internal": write_article(world.agente, "Clave del router", visibility=Visibility.INTERNAL).pk,
        "acme": write_article(
            world.agente, "VPN de Acme", visibility=Visibility.COMPANIES, companies=[world.acme]
        ).pk,
        "globex": write_article(
            world.agente, "VPN de Globex", visibility=Visibility.COMPANIES, companies=[world.globex]
        ).pk,
        "draft": write_article(world.agente, "Borrador", state=ArticleState.DRAFT).pk,
        "archived": write_article(world.agente, "Viejo", state=ArticleState.ARCHIVED).pk,
    }


def _readable(user: object, articles: dict[str, int]) -> set[str]:
    ids = set(access.readable_articles(user).values_list("pk", flat=True))
    return {name for name, pk in articles.items() if pk in ids}


def test_a_contact_reads_public_articles_and_those_of_their_company(
    world: World, articles: dict[str, int]
) -> None:
    assert _readable(world.luis.user, articles) == {"public", "acme"}
    assert _readable(world.carla.user, articles) == {"public", "globex"}


def test_a_contact_of_two_companies_reads_both_companies_articles(
    world: World, articles: dict[str, int]
) -> None:
    assert _readable(world.sofia.user, articles) == {"public", "acme", "globex"}


def test_engineers_read_internal_articles_but_not_drafts_as_readers(
    world: World, articles: dict[str, int]
) -> None:
    assert _readable(world.otro.user, articles) == {"public", "internal", "acme", "globex"}


def test_visitors_read_public_articles_only_when_the_setting_allows(
    world: World, articles: dict[str, int], settings: object
) -> None:
    assert _readable(AnonymousUser(), articles) == {"public"}
    settings.ATIENDE_KB_PUBLIC = False  # type: ignore[attr-defined]
    assert _readable(AnonymousUser(), articles) == set()


def test_a_deactivated_contact_or_company_reads_nothing_of_the_company(
    world: World, articles: dict[str, int]
) -> None:
    world.acme.is_active = False
    world.acme.save()
    assert _readable(world.luis.user, articles) == {"public"}
    world.luis.user.is_active = False
    world.luis.user.save()
    assert _readable(world.luis.user, articles) == set()


def test_an_article_without_the_readers_language_is_a_404(world: World, articles: dict[str, int]) -> None:
    assert (
        access.get_text_for_reader(world.luis.user, articles["public"], "es").title
        == "Configurar la impresora"
    )
    with pytest.raises(Http404):
        access.get_text_for_reader(world.luis.user, articles["public"], "en")


def test_another_companys_article_is_a_404_for_a_contact(world: World, articles: dict[str, int]) -> None:
    with pytest.raises(Http404):
        access.get_text_for_reader(world.carla.user, articles["acme"], "es")
    with pytest.raises(Http404):
        access.get_text_for_reader(world.carla.user, articles["internal"], "es")
