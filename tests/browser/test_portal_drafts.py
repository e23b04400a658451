"""Nothing a contact types is lost: drafts kept in the browser through a crash, an expired
session and a sign-in in another tab; a form sent twice opens one ticket; refused files
leave the valid ones chosen; Enter in *Asunto* does not send; errors take the focus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from atiende.tickets.models import Message, MessageKind, Ticket
from tests.browser.conftest import BrowserLog, check_accessibility, sign_in, snap
from tests.browser.test_portal_tickets import form_field, main_button, ticket_number, write_png
from tests.conftest import World
from tests.factories import PASSWORD, open_ticket

pytestmark = pytest.mark.browser

SUBJECT = "Conexión caída en recepción"
TEXT = "Desde las 8:00 no hay internet en recepción (Sede Norte).\nYa reiniciamos el router."
EXPIRED = "Su sesión venció: inicie sesión de nuevo; lo que escribió se conservó"


def _start_new_ticket(page: Page) -> None:
    page.goto("/portal/tickets/new/")
    form_field(page, "Para").select_option(label="Soporte")
    form_field(page, "Servicio").select_option(value="on-demand")
    form_field(page, "Asunto").fill(SUBJECT)
    form_field(page, "Texto").fill(TEXT)


def test_a_new_ticket_draft_survives_a_crash_and_is_forgotten_once_sent(page: Page, world: World) -> None:
    sign_in(page, "luis@acme.test")
    _start_new_ticket(page)

    page.reload()  # what a crash or a closed tab leaves: the page loaded afresh

    expect(form_field(page, "Asunto")).to_have_value(SUBJECT)
    expect(form_field(page, "Texto")).to_have_value(TEXT)
    expect(form_field(page, "Para")).to_have_value(str(world.soporte.pk))
    expect(page.locator("[data-draft-restored]")).to_be_visible()
    snap(page, "new-ticket-draft-restored")
    check_accessibility(page, "new-ticket-draft-restored")
    main_button(page, "Enviar")
    ticket_number(page)
    page.goto("/portal/tickets/new/")
    expect(form_field(page, "Asunto")).to_have_value("")
    expect(form_field(page, "Texto")).to_have_value("")
    expect(page.locator("[data-draft-restored]")).to_be_hidden()


def test_an_expired_session_shows_our_page_and_the_draft_comes_back_after_signing_in(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    browser_log.expect(r"status of 403 \(Forbidden\)")
    sign_in(page, "luis@acme.test")
    _start_new_ticket(page)
    page.context.clear_cookies()  # the session expired while the contact was typing

    main_button(page, "Enviar")

    expect(page.get_by_role("heading", level=1)).to_have_text(EXPIRED)
    snap(page, "session-expired")
    check_accessibility(page, "session-expired")
    page.get_by_role("link", name="Iniciar sesión y volver al formulario").click()
    page.locator("input[name=login]").fill("luis@acme.test")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=login]) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/portal/tickets/new/$"))
    expect(form_field(page, "Asunto")).to_have_value(SUBJECT)
    expect(form_field(page, "Texto")).to_have_value(TEXT)
    assert not Ticket.objects.exists()
    main_button(page, "Enviar")
    assert Ticket.objects.get(number=ticket_number(page)).subject == SUBJECT


def test_a_reply_typed_before_signing_in_again_in_another_tab_is_kept(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    browser_log.expect(r"status of 403 \(Forbidden\)")
    ticket = open_ticket(world.luis, world.soporte)
    sign_in(page, "luis@acme.test")
    page.goto(f"/portal/tickets/{ticket.number}/")
    reply = page.locator("section.reply").get_by_label("Mensaje")
    reply.fill("Sigue sin funcionar después de reiniciar.")
    other = page.context.new_page()
    other.goto("/portal/")
    other.get_by_role("button", name="Cerrar sesión").click()
    sign_in(other, "luis@acme.test")
    other.close()

    page.locator("section.reply").get_by_role("button", name="Enviar").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(EXPIRED)
    page.get_by_role("link", name="Volver al formulario").click()
    expect(page.locator("section.reply").get_by_label("Mensaje")).to_have_value(
        "Sigue sin funcionar después de reiniciar."
    )
    page.locator("section.reply").get_by_role("button", name="Enviar").click()
    expect(page.locator(".chat > li.bubble").last).to_contain_text(
        "Sigue sin funcionar después de reiniciar."
    )
    page.reload()
    expect(page.locator("section.reply").get_by_label("Mensaje")).to_have_value("")


def test_going_back_after_sending_and_sending_again_opens_no_second_ticket(page: Page, world: World) -> None:
    sign_in(page, "luis@acme.test")
    _start_new_ticket(page)
    main_button(page, "Enviar")
    first = ticket_number(page)

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nuevo Ticket")
    main_button(page, "Enviar")

    assert ticket_number(page) == first
    expect(page.get_by_role("status")).to_contain_text(f"ya se había enviado: registró el ticket #{first}")
    assert Ticket.objects.count() == 1
    snap(page, "new-ticket-sent-twice")


def test_refused_files_are_taken_out_before_upload_and_the_valid_ones_stay_chosen(
    page: Page, world: World, tmp_path: Path
) -> None:
    picture = write_png(tmp_path / "captura.png")
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ" + b"\x00" * 100)
    empty = tmp_path / "vacio.txt"
    empty.write_bytes(b"")
    sign_in(page, "luis@acme.test")
    _start_new_ticket(page)

    form_field(page, "Adjuntos").set_input_files([picture, program, empty])

    chosen = page.locator(".dropzone .chosen li")
    expect(chosen).to_have_count(3)
    expect(chosen.filter(has_text="setup.exe")).to_contain_text("no es un tipo de archivo aceptado")
    expect(chosen.filter(has_text="vacio.txt")).to_contain_text("está vacío")
    assert page.locator("input[type=file]").evaluate("input => input.files.length") == 1
    snap(page, "new-ticket-files-refused")
    main_button(page, "Enviar")
    ticket = Ticket.objects.get(number=ticket_number(page))
    assert list(ticket.attachments.values_list("filename", flat=True)) == ["captura.png"]


def test_a_program_renamed_as_a_pdf_is_refused_by_the_server_with_the_text_kept(
    page: Page, world: World, tmp_path: Path, browser_log: BrowserLog
) -> None:
    browser_log.expect(r"status of 400 \(Bad Request\)")
    disguised = tmp_path / "setup.pdf"
    disguised.write_bytes(
        b"MZ" + b"\x90\x00" * 29 + (64).to_bytes(4, "little") + b"PE\x00\x00" + b"\x00" * 64
    )
    sign_in(page, "luis@acme.test")
    _start_new_ticket(page)
    form_field(page, "Adjuntos").set_input_files([disguised])

    main_button(page, "Enviar")

    expect(page.locator(".field-files .errorlist")).to_contain_text("es un programa")
    expect(form_field(page, "Texto")).to_have_value(TEXT)
    assert not Ticket.objects.exists()


def test_enter_in_the_subject_moves_on_and_errors_take_the_focus(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    browser_log.expect(r"status of 400 \(Bad Request\)")
    sign_in(page, "luis@acme.test")
    page.goto("/portal/tickets/new/")
    subject = form_field(page, "Asunto")
    subject.fill("Impresora")

    subject.press("Enter")

    expect(form_field(page, "Texto")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/portal/tickets/new/$"))
    assert not Ticket.objects.exists()
    form_field(page, "Texto").fill("No imprime.")
    main_button(page, "Enviar")
    expect(page.locator(".form-error")).to_be_visible()
    expect(form_field(page, "Para")).to_be_focused()
    expect(subject).to_have_value("Impresora")


def test_the_reply_form_is_sent_once_even_with_two_quick_clicks(page: Page, world: World) -> None:
    ticket = open_ticket(world.luis, world.soporte)
    sign_in(page, "luis@acme.test")
    page.goto(f"/portal/tickets/{ticket.number}/")
    page.locator("section.reply").get_by_label("Mensaje").fill("Una sola vez.")

    page.locator("section.reply").get_by_role("button", name="Enviar").dblclick()

    expect(page.locator(".chat > li.bubble").last).to_contain_text("Una sola vez.")
    assert (
        Message.objects.filter(ticket=ticket, kind=MessageKind.PUBLIC, body_text="Una sola vez.").count() == 1
    )


def test_a_resolved_ticket_asks_and_yes_closes_it(page: Page, world: World) -> None:
    from atiende.tickets import actions
    from atiende.tickets.models import Status, StatusKind

    ticket = open_ticket(world.luis, world.soporte)
    actions.assign_ticket(world.agente.user, ticket, world.agente)
    actions.change_status(
        world.agente.user, ticket, Status.objects.get(kind=StatusKind.RESOLVED, is_default=True)
    )
    sign_in(page, "luis@acme.test")
    page.goto(f"/portal/tickets/{ticket.number}/")

    ask = page.locator("section.resolved-ask")
    expect(ask.get_by_role("heading")).to_have_text("¿Se resolvió su solicitud?")
    expect(page.locator(".facts")).to_contain_text("Agente Soporte")
    expect(page.locator(".timeline li")).to_have_count(2)
    snap(page, "ticket-resolved-ask")
    check_accessibility(page, "ticket-resolved-ask")
    page.set_viewport_size({"width": 375, "height": 800})
    thread_top = page.locator("section.thread").bounding_box()
    facts_top = page.locator(".facts").bounding_box()
    assert thread_top and facts_top and thread_top["y"] < facts_top["y"]
    page.set_viewport_size({"width": 1280, "height": 900})
    ask.get_by_role("button", name="Sí, cerrar").click()

    expect(page.get_by_role("status")).to_contain_text(f"El ticket #{ticket.number} quedó cerrado")
    ticket.refresh_from_db()
    assert ticket.status.kind == StatusKind.CLOSED
