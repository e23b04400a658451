"""A provider's first day in the browser: the Primeros pasos checklist, a new client
through the flow, an engineer invited who sets a password from the link and signs in,
and the new client's contact who opens a ticket."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from atiende.outbox.models import OutboundEmail
from atiende.tickets.models import Service, Ticket
from tests.browser.conftest import (
    check_accessibility,
    forget_session,
    header_link,
    sign_in,
    sign_in_to_desk,
    sign_out,
    snap,
)
from tests.conftest import World

pytestmark = pytest.mark.browser


def _link(to: str, kind: str) -> str:
    body = OutboundEmail.objects.get(to=[to], kind=kind).body_text
    found = re.search(r"https?://[^\s\"'<>]+?(/accounts/password/reset/key/[^\s\"'<>]+)", body)
    assert found is not None, body
    return found.group(1)


def _choose_password(page: Page, path: str, password: str) -> None:
    page.goto(path)
    page.get_by_label("Contraseña nueva", exact=True).fill(password)
    page.get_by_label("Contraseña nueva, otra vez").fill(password)
    page.locator("main").get_by_role("button", name="Guardar contraseña nueva").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contraseña cambiada")


def test_the_new_provider_day(page: Page, world: World) -> None:
    Service.objects.create(name="Mesa de ayuda 24x7")
    sign_in_to_desk(page, world.admin.user.email)

    header_link(page, "Configuración").click()
    expect(page.get_by_role("heading", name="Primeros pasos")).to_be_visible()
    snap(page, "setup-checklist")
    check_accessibility(page, "setup-checklist")

    page.get_by_role("link", name="Agregar un cliente").click()
    page.locator("#id_name").fill("Initech")
    page.locator("#id_email_domains").fill("initech.test")
    snap(page, "setup-client-company")
    check_accessibility(page, "setup-client-company")
    page.get_by_role("button", name="Crear y seguir").click()

    page.locator("#id_name").fill("Sede Centro")
    page.get_by_role("button", name="Agregar la sede").click()
    expect(page.get_by_text("Sede Centro")).to_be_visible()
    snap(page, "setup-client-sites")
    check_accessibility(page, "setup-client-sites")
    page.get_by_role("link", name="Siguiente: Contratos").click()

    page.locator("#id_service").select_option(label="Mesa de ayuda 24x7")
    page.locator("#id_valid_from").fill("2026-01-01")
    page.locator("#id_calendar").select_option(label="24x7")
    page.get_by_role("button", name="Agregar el contrato").click()
    expect(page.locator(".card li").filter(has_text="Mesa de ayuda 24x7")).to_be_visible()
    snap(page, "setup-client-contracts")
    check_accessibility(page, "setup-client-contracts")
    page.get_by_role("link", name="Siguiente: Nivel de servicio").click()

    page.locator("#id_first_response_minutes").fill("60")
    page.locator("#id_resolution_minutes").fill("480")
    page.get_by_role("button", name="Guardar el nivel de servicio").click()
    expect(page.locator(".card li").filter(has_text="60 min")).to_be_visible()
    snap(page, "setup-client-service-level")
    check_accessibility(page, "setup-client-service-level")
    page.get_by_role("link", name="Siguiente: Contactos").click()

    page.locator("#id_full_name").fill("Peter Gibbons")
    page.locator("#id_email").fill("peter@initech.test")
    page.get_by_role("button", name="Agregar e invitar").click()
    expect(page.locator(".card li").filter(has_text="Peter Gibbons")).to_be_visible()
    snap(page, "setup-client-contacts")
    check_accessibility(page, "setup-client-contacts")
    page.get_by_role("link", name="Terminar: ver la compañía").click()
    expect(page.get_by_role("heading", name="Initech")).to_be_visible()

    page.goto("/desk/setup/engineers/")
    page.locator("#id_full_name").fill("Milton Waddams")
    page.locator("#id_email").fill("milton@proveedor.test")
    page.get_by_label("Soporte", exact=True).check()
    snap(page, "setup-engineers")
    check_accessibility(page, "setup-engineers")
    page.get_by_role("button", name="Enviar la invitación").click()
    expect(page.get_by_text("Se invitó a Milton Waddams")).to_be_visible()
    sign_out(page)

    _choose_password(page, _link("milton@proveedor.test", "agent_invitation"), "grapadora-roja-2026")
    sign_in(page, "milton@proveedor.test", "grapadora-roja-2026")
    expect(page).to_have_url(re.compile(r"/desk/$"))
    forget_session(page)

    _choose_password(page, _link("peter@initech.test", "contact_invitation"), "tps-reportes-2026")
    sign_in(page, "peter@initech.test", "tps-reportes-2026")
    page.goto("/portal/tickets/new/")
    page.get_by_label("Para").select_option(label="Soporte")
    page.get_by_label("Servicio").select_option(label="Mesa de ayuda 24x7")
    page.get_by_label("Asunto").fill("La impresora no imprime los reportes TPS")
    page.get_by_label("Texto").fill("Desde hoy la impresora del piso 2 no responde.")
    page.locator("form:has(textarea[name=text]) button[type=submit]").click()
    page.wait_for_load_state()
    ticket = Ticket.objects.get(subject="La impresora no imprime los reportes TPS")
    assert ticket.organization.name == "Initech"
    assert ticket.sla.calendar is not None and ticket.sla.calendar.name == "24x7"
