from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from atiende.knowledge.models import ArticleFile, ArticleView, ArticleVote, Visibility
from atiende.tickets.models import TicketType
from tests.conftest import World
from tests.knowledge.helpers import write_article


@pytest.fixture
def printer(world: World) -> int:
    return write_article(
        world.agente,
        "La impresora no imprime",
        "Reinicie la **cola de impresión**.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))",
        english=("The printer does not print", "Restart the spooler."),
    ).pk


def test_a_contact_finds_an_article_by_its_words_and_reads_it(
    client: Client, world: World, printer: int
) -> None:
    client.force_login(world.luis.user)
    page = client.get(reverse("portal:kb"), {"q": "impresoras"})
    assert page.status_code == 200
    assert "La impresora no imprime" in page.text
    article = client.get(reverse("portal:kb-article", args=[printer]))
    assert "<strong>cola de impresión</strong>" in article.text


def test_an_article_never_runs_what_its_text_holds(client: Client, world: World, printer: int) -> None:
    client.force_login(world.luis.user)
    page = client.get(reverse("portal:kb-article", args=[printer]))
    assert "<script>alert" not in page.text
    assert 'href="javascript:' not in page.text


def test_the_english_reader_gets_the_english_version_and_untranslated_articles_are_hidden(
    client: Client, world: World, printer: int
) -> None:
    only_spanish = write_article(world.agente, "Impresora atascada").pk
    world.luis.user.language = "en"
    world.luis.user.save()
    client.force_login(world.luis.user)
    home = client.get(reverse("portal:kb"))
    assert "The printer does not print" in home.text
    assert "Impresora atascada" not in home.text
    assert client.get(reverse("portal:kb-article", args=[only_spanish])).status_code == 404


def test_another_companys_and_internal_articles_are_404_and_never_listed(
    client: Client, world: World
) -> None:
    internal = write_article(world.agente, "Clave del router", visibility=Visibility.INTERNAL).pk
    globex = write_article(
        world.agente, "Router de Globex", visibility=Visibility.COMPANIES, companies=[world.globex]
    ).pk
    client.force_login(world.luis.user)
    for pk in (internal, globex):
        assert client.get(reverse("portal:kb-article", args=[pk])).status_code == 404
        assert client.post(reverse("portal:kb-vote", args=[pk]), {"helpful": "yes"}).status_code == 404
        assert client.post(reverse("portal:kb-seen", args=[pk])).status_code == 404
    listed = client.get(reverse("portal:kb"), {"q": "router"}).text
    assert "Clave del router" not in listed
    assert "Router de Globex" not in listed
    assert ArticleVote.objects.count() == 0
    assert ArticleView.objects.count() == 0


def test_visitors_read_public_articles_without_signing_in_when_allowed(
    client: Client, world: World, printer: int, settings: object
) -> None:
    internal = write_article(world.agente, "Clave del router", visibility=Visibility.INTERNAL).pk
    assert client.get(reverse("portal:kb-article", args=[printer])).status_code == 200
    assert client.get(reverse("portal:kb-article", args=[internal])).status_code == 404
    assert client.post(reverse("portal:kb-vote", args=[printer]), {"helpful": "yes"}).status_code == 302
    settings.ATIENDE_KB_PUBLIC = False  # type: ignore[attr-defined]
    answer = client.get(reverse("portal:kb-article", args=[printer]))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("account_login"))


def test_a_vote_is_one_per_reader_and_the_last_answer_counts(
    client: Client, world: World, printer: int
) -> None:
    client.force_login(world.luis.user)
    url = reverse("portal:kb-vote", args=[printer])
    assert client.post(url, {"helpful": "yes"}).status_code == 302
    assert client.post(url, {"helpful": "no"}, headers={"HX-Request": "true"}).status_code == 200
    assert list(ArticleVote.objects.values_list("helpful", flat=True)) == [False]
    assert client.post(url, {"helpful": "maybe"}).status_code == 400


def test_reading_is_counted_by_a_post_never_by_the_page_itself(
    client: Client, world: World, printer: int
) -> None:
    client.force_login(world.luis.user)
    client.get(reverse("portal:kb-article", args=[printer]))
    assert ArticleView.objects.count() == 0
    assert client.post(reverse("portal:kb-seen", args=[printer])).status_code == 204
    view = ArticleView.objects.get()
    assert (view.user, view.organization, view.from_suggestion) == (world.luis.user, world.acme, False)


def test_engineers_reading_are_not_counted(client: Client, world: World, printer: int) -> None:
    client.force_login(world.agente.user)
    assert client.post(reverse("portal:kb-seen", args=[printer])).status_code == 204
    assert ArticleView.objects.count() == 0


def test_suggestions_show_what_the_subject_finds_for_contacts_only(
    client: Client, world: World, printer: int
) -> None:
    write_article(
        world.agente, "Impresora de Globex", visibility=Visibility.COMPANIES, companies=[world.globex]
    )
    url = reverse("portal:kb-suggestions")
    client.force_login(world.luis.user)
    found = client.get(url, {"subject": "no imprime la impreso", "text": ""})
    assert "La impresora no imprime" in found.text
    assert "Impresora de Globex" not in found.text
    assert client.get(url, {"subject": "", "text": ""}).text.strip() == ""
    client.force_login(world.agente.user)
    assert client.get(url, {"subject": "impresora"}).status_code == 404


def test_a_suggestion_read_then_a_ticket_sent_is_not_a_deflection(
    client: Client, world: World, printer: int
) -> None:
    client.force_login(world.luis.user)
    client.post(reverse("portal:kb-seen", args=[printer]), {"suggested": "1"})
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=3)):
        client.post(reverse("portal:kb-seen", args=[printer]), {"suggested": "1"})
        response = client.post(
            reverse("portal:ticket-new"),
            {
                "type": TicketType.objects.get(is_default=True).pk,
                "queue": world.soporte.pk,
                "service": "on-demand",
                "subject": "Sigue sin imprimir",
                "text": "Probé reiniciar la cola.",
            },
        )
        assert response.status_code == 302, response.text[:2000]
    views = list(ArticleView.objects.order_by("created_at"))
    assert views[0].ticket is None  # read long before: it had deflected a ticket then
    assert views[1].ticket is not None


def test_a_file_is_served_only_to_readers_of_its_article(client: Client, world: World) -> None:
    internal = write_article(world.agente, "Diagrama", visibility=Visibility.INTERNAL)
    stored = ArticleFile.objects.create(
        article=internal, file=ContentFile(b"\x89PNG\r\n\x1a\n....", name="red.png"),
        filename="red.png", content_type="image/png", size=12,
    )  # fmt: skip
    url = reverse("portal:kb-file", args=[stored.pk, "red.png"])
    client.force_login(world.luis.user)
    assert client.get(url).status_code == 404
    client.force_login(world.agente.user)
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/png"
    assert client.get(reverse("portal:kb-file", args=[stored.pk, "otro.png"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/portal/kb/99999999999999999999/", "/portal/kb/files/99999999999999999999/x.pdf"]
)
def test_an_id_beyond_the_databases_integers_is_404_not_an_error(world: World, path: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.luis.user)

    assert client.get(path).status_code == 404
