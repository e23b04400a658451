"""Pages that must read well at 1280 and 375 px, and `@` mentions in the composer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from atiende.outbox.models import OutboundEmail
from atiende.tickets import actions
from atiende.tickets.models import Channel
from tests.browser.conftest import (
    PHONE,
    BrowserLog,
    check_accessibility,
    header_link,
    sign_in,
    sign_in_to_desk,
    sign_out,
    snap,
)
from tests.browser.test_sla_pages import around_the_clock, opened_hours_ago
from tests.conftest import World
from tests.factories import open_ticket

pytestmark = pytest.mark.browser


def no_sideways_scroll(page: Page) -> None:
    page.set_viewport_size(PHONE)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_portal_pages_fit_a_phone_with_the_conversation_first_and_search_filters_folded(
    page: Page, world: World
) -> None:
    ticket = open_ticket(
        world.luis, world.soporte, subject="La impresora del piso 2 no imprime desde el lunes"
    )
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Revisando el spooler, " * 20)
    sign_in(page, "luis@acme.test")

    for path in (
        "/portal/",
        f"/portal/tickets/{ticket.number}/",
        "/portal/search/?q=impresora",
        "/portal/tickets/new/",
    ):
        page.goto(path)
        no_sideways_scroll(page)

    page.goto(f"/portal/tickets/{ticket.number}/")
    history = page.get_by_role("heading", name="Historial de mensajes").bounding_box()
    facts = page.get_by_role("heading", name="Sobre este ticket").bounding_box()
    assert history is not None and facts is not None
    assert history["y"] < facts["y"]
    snap(page, "layout-portal-ticket")

    page.goto("/portal/search/?q=impresora")
    assert page.locator("details.more-filters").evaluate("(el) => el.open") is False
    snap(page, "layout-portal-search")
    page.goto("/portal/")
    snap(page, "layout-portal-home")
    check_accessibility(page, "layout-portal-home")


def test_the_portal_header_folds_into_a_menu_on_a_phone(page: Page, world: World) -> None:
    sign_in(page, "ana@acme.test")
    page.goto("/portal/")
    banner = page.get_by_role("banner")
    menu = banner.locator("summary", has_text="Menú")

    # At 1280 the links stand in the header and there is no menu to open.
    expect(banner.get_by_role("link", name="Tickets de la Compañía", exact=True)).to_be_visible()
    expect(banner.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    expect(menu).to_be_hidden()
    snap(page, "portal-header")

    page.set_viewport_size(PHONE)
    expect(menu).to_be_visible()
    expect(banner.get_by_role("link", name="Mis Tickets", exact=True)).to_have_count(0)
    header = banner.bounding_box()
    assert header is not None and header["height"] < 70, "the phone header stays on one line"

    menu.click()
    for name in ("Inicio", "Nuevo Ticket", "Mis Tickets", "Tickets de la Compañía", "Buscar", "Detalles"):
        expect(banner.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(banner.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    check_accessibility(page, "portal-header-menu")
    snap(page, "portal-header-menu")

    page.set_viewport_size(PHONE)
    page.keyboard.press("Escape")
    expect(banner.get_by_role("link", name="Mis Tickets", exact=True)).to_have_count(0)
    expect(menu).to_be_focused()

    header_link(page, "Mis Tickets").click()
    page.wait_for_url("**/portal/tickets/")
    expect(page.get_by_role("heading", name="Mis Tickets", level=1)).to_be_visible()
    sign_out(page)


INBOX_COLUMNS = (
    "Número",
    "Asunto",
    "Compañía",
    "Etapa",
    "Prioridad",
    "Asignado a",
    "Última actividad",
    "ANS",
)

# For every cell of the list: the element cut (content wider or taller than its box, or
# sticking out of its cell), if any.
CUT_IN_INBOX = """() => [...document.querySelectorAll('.inbox-row td')].flatMap((cell) => {
  const box = cell.getBoundingClientRect();
  return [...cell.querySelectorAll('.badge, .sla-badge')].filter((badge) => {
    const r = badge.getBoundingClientRect();
    return badge.scrollWidth > badge.clientWidth || r.right > box.right + 0.5 || r.left < box.left - 0.5;
  }).map((badge) => badge.textContent.trim());
})"""

SUBJECT_LINES = """(link) => {
  const line = parseFloat(getComputedStyle(link).lineHeight);
  return { lines: link.clientHeight / line, clamped: link.scrollHeight > link.clientHeight + 1 };
}"""


def test_the_desk_inbox_fits_1280_px_with_two_line_subjects_and_whole_sla_badges(
    page: Page, world: World
) -> None:
    around_the_clock(world)
    for n in range(4):
        open_ticket(world.luis, world.soporte, subject=f"Solicitud {n}: VPN")
    long_subject = "No funciona el acceso remoto a la VPN desde la sede de Medellín " * 3
    open_ticket(world.luis, world.soporte, subject=long_subject)
    late = opened_hours_ago(world, 30, "El servidor de archivos no responde desde ayer en la tarde")
    sign_in_to_desk(page, "supervisor@atiende.test")
    page.goto("/desk/all/")

    expect(page.get_by_role("link", name=late.subject)).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
    head = page.locator(".inbox-table thead")
    for name in INBOX_COLUMNS:
        expect(head.get_by_role("columnheader", name=re.compile(f"^{name}"))).to_be_visible()
    expect(page.locator(".sla-badge.sla-breached", has_text="vencido hace")).to_be_visible()
    assert page.evaluate(CUT_IN_INBOX) == []

    long_row = page.locator(".inbox-row", has_text="No funciona el acceso remoto").locator("td.subject a")
    shown = long_row.evaluate(SUBJECT_LINES)
    assert round(shown["lines"]) == 2 and shown["clamped"], shown
    short_row = page.locator(".inbox-row", has_text="Solicitud 0: VPN").locator("td.subject a")
    assert round(short_row.evaluate(SUBJECT_LINES)["lines"]) == 1
    snap(page, "layout-desk-inbox")

    # On a phone the list is two lines per ticket and nothing scrolls sideways (snap checks).
    page.set_viewport_size(PHONE)
    expect(page.locator(".inbox-row", has_text=late.subject).locator(".sla-badge")).to_be_visible()
    assert page.evaluate(CUT_IN_INBOX) == []


def test_an_engineer_mentions_a_colleague_in_a_note_with_the_autocomplete(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    ticket = open_ticket(world.luis, world.soporte, subject="VPN caída")
    sign_in_to_desk(page, "agente@atiende.test")
    page.goto(f"/desk/tickets/{ticket.number}/")

    composer = page.locator("#composer")
    composer.get_by_text("Nota interna", exact=True).click()
    text = composer.locator("textarea[name=text]")
    text.click()
    text.press_sequentially("Por favor revisa @Sup")
    mentions = page.locator("#mention-list")
    expect(mentions.get_by_role("option", name=re.compile("Supervisora"))).to_be_visible()
    expect(mentions.get_by_role("option", name=re.compile("Otro Redes"))).to_have_count(0)
    snap(page, "mentions-autocomplete")
    check_accessibility(page, "mentions-autocomplete")
    text.press("Enter")
    expect(text).to_have_value("Por favor revisa @supervisor ")
    text.press_sequentially("cuando puedas")
    # A script or an extension that touches an element's style through the CSSOM leaves a
    # style attribute; the swap after the note must not re-apply it (the CSP refuses inline
    # styles, and any CSP error fails this test).
    page.evaluate(
        """() => document.querySelectorAll('#properties [id]').forEach((el) => {
             el.style.caretColor = 'transparent'; el.style.caretColor = '';
           })"""
    )
    composer.get_by_role("button", name="Enviar", exact=True).click()

    expect(page.locator("mark.mention", has_text="@supervisor")).to_be_visible()
    assert OutboundEmail.objects.filter(kind="agent_mentioned", to=["supervisor@atiende.test"]).count() == 1
