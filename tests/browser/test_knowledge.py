"""The knowledge base in a real browser: a contact types a subject on *Nuevo Ticket* and
sees the right article, opens it in place (counted as a suggestion read) and sends the
ticket anyway with what was typed; the article pages at phone width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from atiende.knowledge.models import ArticleView, Visibility
from tests.browser.conftest import BrowserLog, check_accessibility, header_link, sign_in, snap
from tests.conftest import World
from tests.knowledge.helpers import write_article

pytestmark = pytest.mark.browser


def test_typing_a_subject_suggests_the_right_article_and_sending_keeps_the_text(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    browser_log.expect(r"status of 400 \(Bad Request\) \(http://[^/]+/portal/tickets/new/\)")
    printer = write_article(
        world.agente, "La impresora no imprime", "Apague la impresora 10 segundos y **enciéndala**."
    )
    write_article(world.agente, "Outlook no abre", "Cree un perfil nuevo.")
    write_article(
        world.agente, "Impresora de Globex", visibility=Visibility.COMPANIES, companies=[world.globex]
    )
    sign_in(page, world.luis.user.email)
    page.goto("/portal/tickets/new/")
    page.locator("#id_subject").press_sequentially("Mi impresora no", delay=30)
    panel = page.get_by_role("complementary", name="Artículos sugeridos")
    expect(panel.get_by_text("La impresora no imprime")).to_be_visible()
    expect(panel.get_by_text("Outlook no abre")).to_have_count(0)
    expect(panel.get_by_text("Impresora de Globex")).to_have_count(0)
    with page.expect_response(lambda r: "/kb/" in r.url and r.url.endswith("/seen/")):
        panel.get_by_text("La impresora no imprime").click()
    expect(panel.get_by_text("enciéndala")).to_be_visible()
    view = ArticleView.objects.get()
    assert (view.article_id, view.from_suggestion, view.ticket) == (printer.pk, True, None)
    snap(page, "kb-new-ticket-suggestions")
    check_accessibility(page, "kb-new-ticket-suggestions")
    page.locator("#id_text").fill("Ya la apagué y sigue igual.")
    send = page.locator("form.ticket-form button[type=submit]")
    send.click()  # without *Para*: refused, and nothing typed is lost
    expect(page.locator("#id_text")).to_have_value("Ya la apagué y sigue igual.")
    expect(page.locator("#id_subject")).to_have_value("Mi impresora no")
    expect(panel.get_by_text("La impresora no imprime")).to_be_visible()
    page.locator("#id_queue").select_option(label="Soporte")
    page.locator("#id_service").select_option(value="on-demand")
    send.click()
    expect(page).to_have_url(re.compile(r"/portal/tickets/\d+/"))
    view.refresh_from_db()
    assert view.ticket is not None and view.ticket.subject == "Mi impresora no"


def test_the_knowledge_base_reads_well_on_a_phone(page: Page, world: World) -> None:
    write_article(
        world.agente,
        "Sin internet: qué revisar antes de llamar",
        "- ¿El cable de red está conectado?\n- Reinicie el equipo.\n\n`ipconfig /all` muestra su dirección.",
        english=("No internet: what to check", "- Is the cable plugged in?"),
    )
    sign_in(page, world.luis.user.email)
    header_link(page, "Base de conocimiento").click()
    page.get_by_label("Buscar artículos").fill("revisar internet")
    page.get_by_role("main").get_by_role("button", name="Buscar").click()
    page.get_by_role("link", name="Sin internet: qué revisar antes de llamar").click()
    expect(page.get_by_role("heading", name="¿Le sirvió?")).to_be_visible()
    page.get_by_role("button", name="Sí").click()
    expect(page.get_by_text("Gracias: nos alegra que le haya servido.")).to_be_visible()
    snap(page, "kb-article")
    check_accessibility(page, "kb-article")
    page.goto("/portal/kb/")
    snap(page, "kb-home")
    check_accessibility(page, "kb-home")
