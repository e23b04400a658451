from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from atiende.knowledge.models import Article, ArticleState, ArticleText, ArticleView, Category, Visibility
from atiende.knowledge.reports import self_service
from atiende.tickets import actions
from atiende.tickets.models import Channel
from tests.conftest import World
from tests.factories import open_ticket
from tests.knowledge.helpers import write_article


def _form(**values: object) -> dict[str, object]:
    category = Category.objects.get_or_create(name_es="Red", name_en="Network")[0]
    data: dict[str, object] = {
        "category": category.pk,
        "visibility": Visibility.PUBLIC,
        "state": ArticleState.PUBLISHED,
        "title_es": "Conectar a la VPN",
        "body_es": "1. Abra el cliente.\n2. Escriba su usuario.",
        "title_en": "",
        "body_en": "",
    }
    data.update(values)
    return data


def test_an_engineer_writes_an_article_with_an_image_and_readers_see_it(client: Client, world: World) -> None:
    client.force_login(world.agente.user)
    image = SimpleUploadedFile("pantalla.png", b"\x89PNG\r\n\x1a\nimagen")
    response = client.post(reverse("desk:kb-article-new"), {**_form(), "uploads": [image]})
    article = Article.objects.get()
    assert response["Location"] == reverse("desk:kb-article-edit", args=[article.pk])
    assert article.owner == world.agente
    assert article.files.get().filename == "pantalla.png"
    client.force_login(world.carla.user)
    assert "Abra el cliente" in client.get(reverse("portal:kb-article", args=[article.pk])).text


def test_the_editor_keeps_what_was_typed_and_names_the_field_on_a_refusal(
    client: Client, world: World
) -> None:
    client.force_login(world.agente.user)
    response = client.post(
        reverse("desk:kb-article-new"), _form(visibility=Visibility.COMPANIES, title_en="Only a title")
    )
    assert response.status_code == 400
    assert "Escriba su usuario" in response.text
    assert "Only a title" in response.text
    assert Article.objects.count() == 0
    response = client.post(reverse("desk:kb-article-new"), _form(visibility=Visibility.COMPANIES))
    assert response.status_code == 400
    assert Article.objects.count() == 0


def test_a_refused_file_saves_nothing(client: Client, world: World) -> None:
    client.force_login(world.agente.user)
    bad = SimpleUploadedFile("programa.exe", b"MZ")
    response = client.post(reverse("desk:kb-article-new"), {**_form(), "uploads": [bad]})
    assert response.status_code == 400
    assert "programa.exe" in response.text
    assert Article.objects.count() == 0


def test_contacts_and_visitors_never_reach_the_desk_pages(client: Client, world: World) -> None:
    article = write_article(world.agente, "Impresora")
    urls = [
        reverse("desk:kb-articles"),
        reverse("desk:kb-article-new"),
        reverse("desk:kb-article-edit", args=[article.pk]),
        reverse("desk:kb-insert"),
        reverse("desk:kb-report"),
    ]
    client.force_login(world.luis.user)
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.post(url, _form()).status_code in {404, 405}
    assert ArticleText.objects.get().title == "Impresora"


def test_an_article_from_a_reply_starts_with_its_text_only_on_tickets_the_agent_sees(
    client: Client, world: World
) -> None:
    ticket = open_ticket(world.luis, world.soporte, subject="Outlook no abre")
    reply = actions.add_reply(
        world.agente.user, ticket, text="Borre el perfil de Outlook y vuelva a crearlo.", channel=Channel.WEB
    )
    client.force_login(world.agente.user)
    page = client.get(reverse("desk:kb-article-new"), {"message": reply.pk})
    assert "Borre el perfil de Outlook" in page.text
    client.force_login(world.otro.user)
    assert client.get(reverse("desk:kb-article-new"), {"message": reply.pk}).status_code == 404
    assert client.get(reverse("desk:kb-article-new"), {"message": "x1"}).status_code == 404


def test_beside_a_ticket_engineers_see_articles_and_similar_solved_tickets(
    client: Client, world: World
) -> None:
    write_article(world.agente, "Outlook no abre", "Borre el perfil.", visibility=Visibility.INTERNAL)
    old = open_ticket(world.luis, world.soporte, subject="Outlook no abre en recepción")
    actions.add_reply(world.agente.user, old, text="Se recreó el perfil de correo.", channel=Channel.WEB)
    other_company = open_ticket(world.carla, world.soporte, subject="Outlook no abre")
    new = open_ticket(world.ana, world.soporte, subject="Outlook no abre")
    client.force_login(world.agente.user)
    page = client.get(reverse("desk:kb-ticket-suggestions", args=[new.number])).text
    assert "Outlook no abre" in page
    assert old.reference in page
    assert "Se recreó el perfil de correo" in page
    assert other_company.reference not in page
    client.force_login(world.otro.user)
    assert client.get(reverse("desk:kb-ticket-suggestions", args=[new.number])).status_code == 404


def test_the_self_service_figures(world: World) -> None:
    article = write_article(world.agente, "Impresora")
    now = timezone.now()
    ticket = open_ticket(world.luis, world.soporte)
    ArticleView.objects.create(article=article, user=world.luis.user, from_suggestion=True, ticket=ticket)
    ArticleView.objects.create(
        article=article,
        user=world.ana.user,
        from_suggestion=True,
        created_at=now - datetime.timedelta(hours=2),
    )
    ArticleView.objects.create(
        article=article, user=world.ana.user, created_at=now - datetime.timedelta(hours=1)
    )
    figures = self_service(now - datetime.timedelta(days=1), now + datetime.timedelta(minutes=1))
    assert (figures.article_views, figures.tickets_opened, figures.deflections) == (3, 1, 1)
    assert figures.score == 3.0
    assert [(row.article, row.tickets) for row in figures.preceding] == [(article, 1)]


def test_the_composer_finds_published_articles_to_insert_with_their_portal_link(
    client: Client, world: World
) -> None:
    published = write_article(world.agente, "Impresora sin tóner")
    write_article(world.agente, "Impresora borrador", state=ArticleState.DRAFT)
    client.force_login(world.agente.user)
    found = client.get(reverse("desk:kb-insert"), {"q": "impresora"}).text
    assert "Impresora sin tóner" in found
    assert reverse("portal:kb-article", args=[published.pk]) in found
    assert "Impresora borrador" not in found
    assert "Ningún artículo" in client.get(reverse("desk:kb-insert"), {"q": "zzzz"}).text
