"""The contact's ticket pages in a real browser: open a ticket with files, find it, reply,
the rules the forms enforce, the lists and who may see what."""

from __future__ import annotations

import re
import struct
import time
import zlib
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from playwright.sync_api import Locator, Page, expect

from atiende.tickets import actions
from atiende.tickets.models import Category, Ticket
from tests.browser.conftest import BrowserLog, check_accessibility, header_link, sign_in, snap
from tests.conftest import World
from tests.factories import open_ticket

pytestmark = pytest.mark.browser

TICKET_URL = re.compile(r"/portal/tickets/(\d+)/(#last)?$")


def write_png(path: Path, width: int = 48, height: int = 32) -> Path:
    """A small, valid PNG: a blue rectangle."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((40, 110, 200)) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return path


def wait_for_mail(to: str, contains: str, timeout: float = 5.0) -> EmailMessage:
    """The live server runs in this process: its locmem backend fills `mail.outbox`."""
    deadline = time.monotonic() + timeout
    while True:
        for message in mail.outbox:
            if to in message.to and contains in message.subject:
                return message
        if time.monotonic() > deadline:
            sent = [(m.to, m.subject) for m in mail.outbox]
            raise AssertionError(f"no email to {to} about {contains!r}; sent: {sent}")
        time.sleep(0.05)


def ticket_number(page: Page) -> int:
    expect(page).to_have_url(TICKET_URL)
    match = TICKET_URL.search(page.url)
    assert match is not None
    return int(match[1])


def form_field(page: Page, label: str) -> Locator:
    """The form control labelled with the manual's word; a clear failure when it is missing."""
    control = page.locator("main form").get_by_label(label)
    if not control.count():
        labels = [" ".join(text.split()) for text in page.locator("main form label").all_inner_texts()]
        raise AssertionError(f"no field labelled {label!r} on {page.url}; the labels are: {labels}")
    return control


def main_button(page: Page, name: str) -> None:
    page.locator("main").get_by_role("button", name=name, exact=True).click()


def test_a_contact_opens_a_ticket_with_files_finds_it_without_accents_and_replies(
    page: Page, world: World, tmp_path: Path
) -> None:
    Category.objects.create(name_es="Internet", name_en="Internet")
    open_ticket(world.luis, world.soporte, subject="Impresora sin tóner")
    screenshot = write_png(tmp_path / "captura.png")
    log = tmp_path / "ping.txt"
    log.write_text("Respuesta desde 10.0.0.1: tiempo de espera agotado\n", encoding="utf-8")

    sign_in(page, "luis@acme.test", snap_as="sign-in")
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hola")
    snap(page, "home")
    check_accessibility(page, "home")

    page.locator("main").get_by_role("link", name="Nuevo Ticket").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nuevo Ticket")
    snap(page, "new-ticket")
    check_accessibility(page, "new-ticket")
    form_field(page, "Tipo").select_option(label="Incidente")
    form_field(page, "Para").select_option(label="Soporte")
    form_field(page, "Servicio").select_option(value="on-demand")
    form_field(page, "Categoría").select_option(label="Internet")
    form_field(page, "Localización").select_option(label="Sede Norte")
    form_field(page, "Asunto").fill("Conexión caída en recepción")
    form_field(page, "Texto").fill("Desde las 8:00 no hay internet en recepción (Sede Norte).")
    form_field(page, "Adjuntos").set_input_files([screenshot, log])
    snap(page, "new-ticket-filled")
    main_button(page, "Enviar")

    number = ticket_number(page)
    ticket = Ticket.objects.get(number=number)
    assert (ticket.requester, ticket.subject) == (world.luis, "Conexión caída en recepción")
    assert (ticket.category and ticket.category.name_es, ticket.location and ticket.location.name) == (
        "Internet",
        "Sede Norte",
    )
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Conexión caída en recepción")
    expect(heading).to_contain_text(f"#{number}")
    expect(page.get_by_role("status")).to_contain_text(f"#{number}")
    thumbnail = page.locator("img.thumb[alt='captura.png']")
    thumbnail.scroll_into_view_if_needed()
    expect(thumbnail).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth === 48", arg=thumbnail.element_handle())
    expect(page.locator(".chat").get_by_role("link", name="ping.txt")).to_be_visible()
    snap(page, "ticket-opened")
    check_accessibility(page, "ticket")
    confirmation = wait_for_mail("luis@acme.test", f"#{number}")
    assert "Conexión caída en recepción" in confirmation.subject

    header_link(page, "Buscar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buscar")
    snap(page, "search")
    check_accessibility(page, "search")
    search = page.get_by_role("search")
    search.locator("input[name=q]").fill("conexion")
    search.get_by_role("button", name="Buscar", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]q=conexion"))
    rows = page.locator(".ticket-row")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Conexión caída en recepción")
    snap(page, "search-results")
    check_accessibility(page, "search-results")

    rows.get_by_role("link").click()
    assert ticket_number(page) == number
    page.locator("section.reply").get_by_label("Mensaje").fill("Ya reiniciamos el router y sigue igual.")
    page.locator("section.reply").get_by_role("button", name="Enviar").click()
    expect(page).to_have_url(re.compile(rf"/portal/tickets/{number}/#last$"))
    expect(page.get_by_role("status")).to_contain_text("Su mensaje se agregó al ticket.")
    last = page.locator(".chat > li.bubble").last
    expect(last).to_contain_text("Ya reiniciamos el router y sigue igual.")
    expect(last).to_have_class(re.compile(r"\bcustomer\b"))
    expect(page.locator(".chat > li.bubble")).to_have_count(2)
    snap(page, "ticket-replied")


def test_a_required_field_left_empty_is_pointed_out_next_to_it_and_the_text_is_kept(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    browser_log.expect(r"status of 400 \(Bad Request\) \(http://[^/]+/portal/tickets/new/\)")
    text = "La impresora del piso 2 marca «atasco de papel» pero no tiene papel atascado."
    sign_in(page, "luis@acme.test")
    page.goto("/portal/tickets/new/")
    form_field(page, "Para").select_option(label="Soporte")
    form_field(page, "Servicio").select_option(value="on-demand")
    form_field(page, "Texto").fill(text)
    main_button(page, "Enviar")

    expect(page.get_by_role("alert")).to_contain_text("Revise los campos marcados abajo.")
    subject_field = page.locator(".field", has=page.locator("input[name=subject]"))
    expect(subject_field).to_contain_text("Este campo es obligatorio.")
    expect(form_field(page, "Asunto")).to_have_attribute("aria-invalid", "true")
    expect(form_field(page, "Texto")).to_have_value(text)
    expect(form_field(page, "Para")).to_have_value(str(world.soporte.pk))
    expect(form_field(page, "Servicio")).to_have_value("on-demand")
    assert (
        page.locator(".field-text, .field", has=page.locator("textarea[name=text]"))
        .first.locator(".errorlist")
        .count()
        == 0
    )
    snap(page, "new-ticket-missing-subject")
    check_accessibility(page, "new-ticket-missing-subject")
    assert not Ticket.objects.exists()


def test_a_closed_ticket_offers_a_new_ticket_that_references_it_instead_of_a_reply(
    page: Page, world: World
) -> None:
    closed = open_ticket(world.luis, world.soporte, subject="Clave del wifi de invitados")
    actions.close_ticket(world.agente.user, closed)
    reference = f"#{closed.number}"

    sign_in(page, "luis@acme.test")
    page.goto(f"/portal/tickets/{closed.number}/")
    expect(page.locator(".badge").first).to_have_text("Cerrado")
    expect(page.locator("textarea")).to_have_count(0)
    expect(page.get_by_role("heading", name="Contestar")).to_have_count(0)
    snap(page, "ticket-closed")
    check_accessibility(page, "ticket-closed")

    page.get_by_role("link", name=f"Abrir nuevo ticket referenciando {reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nuevo Ticket")
    expect(form_field(page, "Continuación del ticket número")).to_have_value(str(closed.number))
    snap(page, "new-ticket-continuing")
    form_field(page, "Para").select_option(label="Soporte")
    form_field(page, "Servicio").select_option(value="on-demand")
    form_field(page, "Asunto").fill("Otra vez sin clave del wifi de invitados")
    form_field(page, "Texto").fill("La clave que nos dieron ya no funciona.")
    main_button(page, "Enviar")

    number = ticket_number(page)
    assert number != closed.number
    link = page.locator("ul.links").get_by_role("link", name=re.compile(re.escape(reference)))
    expect(link).to_be_visible()
    expect(page.locator("ul.links")).to_contain_text("continúa")
    snap(page, "ticket-continuing")
    link.click()
    assert ticket_number(page) == closed.number
    expect(page.locator("ul.links")).to_contain_text(f"#{number}")


def test_the_lists_switch_tabs_sort_filter_and_the_back_button_restores_the_filter(
    page: Page, world: World
) -> None:
    printer = open_ticket(world.ana, world.soporte, subject="Impresora del piso 2")
    mail_sync = open_ticket(world.ana, world.soporte, subject="Correo no sincroniza")
    wifi = open_ticket(world.ana, world.soporte, subject="Clave del wifi")
    actions.close_ticket(world.agente.user, wifi)
    monitor = open_ticket(world.luis, world.soporte, subject="Monitor parpadea")
    open_ticket(world.carla, world.soporte, subject="Globex: servidor caído")

    sign_in(page, "ana@acme.test")
    header_link(page, "Mis Tickets").click()
    tabs = page.get_by_role("navigation", name="Estado")
    open_tab = tabs.get_by_role("link", name=re.compile(r"^Abiertos"))
    closed_tab = tabs.get_by_role("link", name=re.compile(r"^Cerrados"))
    expect(open_tab).to_have_text(re.compile(r"^\s*Abiertos\s+2\s*$"))
    expect(closed_tab).to_have_text(re.compile(r"^\s*Cerrados\s+1\s*$"))
    expect(open_tab).to_have_attribute("aria-current", "page")
    subjects = page.locator(".ticket-row .subject")
    expect(subjects).to_have_text([mail_sync.subject, printer.subject])
    snap(page, "my-tickets-open")
    check_accessibility(page, "my-tickets")

    closed_tab.click()
    expect(page).to_have_url(re.compile(r"\?state=closed$"))
    expect(subjects).to_have_text([wifi.subject])
    expect(closed_tab).to_have_attribute("aria-current", "page")
    expect(open_tab).not_to_have_attribute("aria-current", "page")
    snap(page, "my-tickets-closed")

    header_link(page, "Tickets de la Compañía").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tickets de la Compañía")
    expect(subjects).to_have_text([monitor.subject, mail_sync.subject, printer.subject])
    expect(page.locator(".ticket-row", has_text=monitor.subject)).to_contain_text("Luis Acme")
    expect(page.locator(".ticket-rows")).not_to_contain_text("Globex")
    snap(page, "company-tickets")
    check_accessibility(page, "company-tickets")

    filters = page.get_by_role("search")
    filters.get_by_label("Ordenar por").select_option(value="oldest")
    filters.get_by_role("button", name="Buscar", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]sort=oldest"))
    expect(subjects).to_have_text([printer.subject, mail_sync.subject, monitor.subject])
    sorted_url = page.url

    if not filters.get_by_label("Creado por").is_visible():
        filters.get_by_text("Filtros", exact=True).click()
    filters.get_by_label("Creado por").select_option(label="Luis Acme")
    filters.get_by_role("button", name="Aplicar filtros").click()
    expect(page).to_have_url(re.compile(rf"[?&]requester={world.luis.pk}(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]sort=oldest"))
    expect(subjects).to_have_text([monitor.subject])
    snap(page, "company-tickets-filtered")
    check_accessibility(page, "company-tickets-filtered")

    page.go_back()
    expect(page).to_have_url(sorted_url)
    expect(subjects).to_have_text([printer.subject, mail_sync.subject, monitor.subject])
    expect(filters.get_by_label("Ordenar por")).to_have_value("oldest")
    # The form must show the filters the list was drawn with, not what was chosen before leaving.
    shown = filters.get_by_label("Creado por").input_value()
    assert shown == "", (
        f"after Back, “Creado por” still holds {shown!r} while the URL and the list are unfiltered"
    )


def test_a_contact_gets_the_not_found_page_for_tickets_they_may_not_see(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    globex = open_ticket(world.carla, world.soporte, subject="Globex: servidor caído")
    colleague = open_ticket(world.ana, world.soporte, subject="Nómina de Acme")
    own = open_ticket(world.luis, world.soporte, subject="Monitor parpadea")
    browser_log.expect(r"status of 404 \(Not Found\)")

    sign_in(page, "luis@acme.test")
    not_found_pages: list[str] = []
    for ticket, name in ((globex, "not-found-other-company"), (colleague, "not-found-colleague")):
        response = page.goto(f"/portal/tickets/{ticket.number}/")
        assert response is not None
        assert response.status == 404, (ticket.subject, response.status)
        expect(page.locator("body")).not_to_contain_text(ticket.subject)
        snap(page, name)
        check_accessibility(page, name)
        language = page.locator("html").get_attribute("lang")
        way_back = page.locator("a[href='/portal/']").count()
        if language != "es" or not way_back:
            title = page.locator("h1").first.inner_text() if page.locator("h1").count() else ""
            not_found_pages.append(
                f"{page.url}: lang={language!r}, h1={title!r}, links to /portal/: {way_back}"
            )

    response = page.goto(f"/portal/tickets/{own.number}/")
    assert response is not None
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text(own.subject)

    # The portal speaks Spanish and never leaves a contact stranded: the "not found" page
    # too is in Spanish and leads back to the portal.
    assert not not_found_pages, "The not-found page is not the portal's:\n" + "\n".join(not_found_pages)
