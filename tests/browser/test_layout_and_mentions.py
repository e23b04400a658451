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


def test_the_desk_inbox_fits_1280_px(page: Page, world: World) -> None:
    for n in range(6):
        open_ticket(
            world.luis,
            world.soporte,
            subject=f"Solicitud {n}: " + "no funciona el acceso remoto a la VPN " * 3,
        )
    sign_in_to_desk(page, "agente@atiende.test")
    page.goto("/desk/")

    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
    snap(page, "layout-desk-inbox")


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
