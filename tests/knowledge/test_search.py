from __future__ import annotations

import pytest

from atiende.knowledge import access, search
from atiende.knowledge.models import Visibility
from tests.conftest import World
from tests.knowledge.helpers import write_article


def _titles(user: object, query: str, *, language: str = "es", any_word: bool = False) -> list[str]:
    texts = access.readable_texts(user, language)
    return [text.title for text in search.matching(texts, query, language=language, any_word=any_word)]


def test_words_are_found_by_stem_and_without_accents(world: World) -> None:
    write_article(world.agente, "Las impresoras no imprimen", "Reinicie la cola de impresión.")
    write_article(world.agente, "Conexión VPN", "Instale el cliente.")
    assert _titles(world.luis.user, "impresora") == ["Las impresoras no imprimen"]
    assert _titles(world.luis.user, "conexion") == ["Conexión VPN"]
    assert _titles(world.luis.user, "IMPRESIÓN cola") == ["Las impresoras no imprimen"]


def test_a_search_needs_every_word_and_suggestions_any(world: World) -> None:
    write_article(world.agente, "Correo lento", "Outlook tarda en abrir.")
    write_article(world.agente, "Impresora atascada", "Saque el papel.")
    assert _titles(world.luis.user, "correo impresora") == []
    assert set(_titles(world.luis.user, "correo impresora ", any_word=True)) == {
        "Correo lento",
        "Impresora atascada",
    }


def test_suggestions_take_the_last_word_as_it_is_being_typed(world: World) -> None:
    write_article(world.agente, "Contraseña bloqueada", "Pida el desbloqueo.")
    assert _titles(world.luis.user, "mi contras", any_word=True) == ["Contraseña bloqueada"]
    assert _titles(world.luis.user, "mi contras ", any_word=True) == []


def test_the_title_weighs_more_than_the_text(world: World) -> None:
    write_article(world.agente, "Red de invitados", "El correo no llega por la red de invitados.")
    write_article(world.agente, "Correo sin enviar", "Revise la bandeja de salida.")
    assert _titles(world.luis.user, "correo") == ["Correo sin enviar", "Red de invitados"]


def test_search_never_finds_what_the_reader_may_not_read(world: World) -> None:
    write_article(world.agente, "Clave del router", visibility=Visibility.INTERNAL)
    write_article(world.agente, "Router de Globex", visibility=Visibility.COMPANIES, companies=[world.globex])
    assert _titles(world.luis.user, "router") == []
    assert _titles(world.carla.user, "router") == ["Router de Globex"]
    assert set(_titles(world.agente.user, "router")) == {"Clave del router", "Router de Globex"}


def test_english_versions_are_searched_in_english(world: World) -> None:
    write_article(world.agente, "Impresora", english=("Printers offline", "Restart the spooler."))
    assert _titles(world.luis.user, "printer", language="en") == ["Printers offline"]
    assert _titles(world.luis.user, "printer", language="es") == []


def test_an_edit_is_searched_at_once_and_a_removed_version_disappears(world: World) -> None:
    from atiende.knowledge.actions import ArticleDraft, Text, save_article

    article = write_article(world.agente, "Escáner", english=("Scanner", "Scan."))
    draft = ArticleDraft(
        category=article.category, visibility=article.visibility, state=article.state,
        texts={"es": Text("Digitalizador", "Escanee."), "en": Text("", "")},
    )  # fmt: skip
    save_article(world.agente.user, article, draft)
    assert _titles(world.luis.user, "escaner") == []
    assert _titles(world.luis.user, "digitalizador") == ["Digitalizador"]
    assert _titles(world.luis.user, "scanner", language="en") == []


@pytest.mark.parametrize("query", ["", "   ", "de la", "'\" OR 1=1 --", "NEAR(a b)", "a*", "x" * 5000])
def test_odd_queries_find_nothing_and_never_fail(world: World, query: str) -> None:
    write_article(world.agente, "Impresora")
    assert _titles(world.luis.user, query) == []
    assert _titles(world.luis.user, query, any_word=True) == []
