"""Phone and WhatsApp intake in a real browser: the agent finds the caller (or registers
them) and opens the ticket in their name; the new contact then shows in the directory."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from atiende.accounts.models import Contact
from atiende.outbox.models import OutboundEmail
from atiende.tickets.models import Channel, Ticket
from tests.browser.conftest import check_accessibility, forget_session, header_link, sign_in_to_desk, snap
from tests.conftest import World

pytestmark = pytest.mark.browser

WORKSPACE_URL = re.compile(r"/desk/tickets/(\d+)/$")
INTAKE_TICKET_URL = re.compile(r"/desk/intake/(\d+)/$")


def start_intake(page: Page) -> None:
    page.get_by_role("banner").get_by_role("link", name="Nuevo ticket por teléfono / WhatsApp").click()
    expect(page).to_have_url(re.compile(r"/desk/intake/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nuevo ticket por teléfono / WhatsApp")


def search_caller(page: Page, query: str) -> None:
    search = page.get_by_role("search")
    search.get_by_label("Nombre, correo, teléfono o WhatsApp").fill(query)
    search.get_by_role("button", name="Buscar", exact=True).click()
    expect(page).to_have_url(re.compile(r"/desk/intake/\?q="))


def ticket_form(page: Page) -> Locator:
    return page.locator("main form.ticket-form")


def fill_ticket(page: Page, *, channel: str, subject: str, text: str) -> None:
    form = ticket_form(page)
    form.get_by_role("radio", name=channel, exact=True).check()
    form.get_by_label("Para").select_option(label="Soporte")
    form.get_by_label("Servicio").select_option(value="on-demand")
    form.get_by_label("Asunto").fill(subject)
    form.get_by_label("Texto").fill(text)


def registered_ticket(page: Page) -> Ticket:
    expect(page).to_have_url(WORKSPACE_URL)
    match = WORKSPACE_URL.search(page.url)
    assert match is not None
    return Ticket.objects.select_related("requester__user", "created_by").get(number=int(match[1]))


def links_offered(page: Page, name: str) -> list[tuple[str, str]]:
    """The page's links with these words, as (words, address)."""
    found = page.locator("main").get_by_role("link", name=name, exact=True)
    return [(name, href) for link in found.all() if (href := link.get_attribute("href"))]


def emails_to(address: str) -> list[tuple[str, int | None]]:
    return sorted(
        (email.kind, email.ticket_number) for email in OutboundEmail.objects.all() if email.to == [address]
    )


def test_a_phone_call_from_a_known_contact_becomes_a_ticket_in_their_name(page: Page, world: World) -> None:
    sign_in_to_desk(page, "agente@atiende.test")
    start_intake(page)
    search_caller(page, "uis acm")
    results = page.locator(".pick-list > li")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("Luis Acme")
    expect(results).to_contain_text("luis@acme.test")
    expect(results).to_contain_text("Acme S.A.S.")
    snap(page, "desk-intake-found")
    check_accessibility(page, "desk-intake-search")

    results.get_by_role("link").click()
    expect(page).to_have_url(INTAKE_TICKET_URL)
    expect(page.get_by_role("region", name="Solicitante")).to_contain_text("Luis Acme · luis@acme.test")
    expect(ticket_form(page).get_by_role("radio", name="Teléfono", exact=True)).to_be_checked()
    fill_ticket(
        page,
        channel="Teléfono",
        subject="Escáner no envía al correo",
        text="Llamó a las 9:10: el escáner del piso 3 dice «error de autenticación SMTP».",
    )
    snap(page, "desk-intake-ticket-form")
    check_accessibility(page, "desk-intake-ticket-form")
    ticket_form(page).get_by_role("button", name="Registrar ticket").click()

    ticket = registered_ticket(page)
    expect(page.get_by_role("status")).to_contain_text(
        f"El ticket #{ticket.number} quedó registrado a nombre de Luis Acme, que recibió la confirmación por correo."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"#{ticket.number} Escáner no envía al correo")
    expect(page.locator("#thread")).to_contain_text("error de autenticación SMTP")
    expect(page.locator("#thread")).to_contain_text("Teléfono")
    snap(page, "desk-intake-registered")
    assert (ticket.requester, ticket.created_by, ticket.channel, ticket.organization) == (
        world.luis,
        world.agente.user,
        Channel.PHONE,
        world.acme,
    )
    assert emails_to("luis@acme.test") == [("ticket_opened", ticket.number)]


def test_a_whatsapp_message_from_a_new_caller_registers_the_contact_then_the_ticket(
    page: Page, world: World
) -> None:
    from tests.factories import open_ticket  # agents register callers of their queues' clients

    open_ticket(world.luis, world.soporte, subject="Impresora del piso 2")
    sign_in_to_desk(page, "agente@atiende.test")
    start_intake(page)
    search_caller(page, "Marta Rivas")
    expect(page.locator(".pick-list")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(
        "Nadie coincide con «Marta Rivas». Registre a quien llama aquí abajo."
    )
    new_contact = page.get_by_role("region", name="O registre un contacto nuevo")
    new_contact.get_by_label("Nombre completo").fill("Marta Rivas")
    new_contact.get_by_label("Correo electrónico").fill("marta.rivas@acme.test")
    new_contact.get_by_role("combobox", name="Compañía").select_option(label="Acme S.A.S.")
    snap(page, "desk-intake-new-contact")
    new_contact.get_by_role("button", name="Registrar y continuar").click()

    expect(page).to_have_url(INTAKE_TICKET_URL)
    expect(page.get_by_role("status")).to_contain_text(
        "Marta Rivas quedó registrado y recibió la invitación para elegir su contraseña."
    )
    expect(page.get_by_role("region", name="Solicitante")).to_contain_text("marta.rivas@acme.test")
    fill_ticket(
        page,
        channel="WhatsApp",
        subject="No puedo entrar a la VPN",
        text="Por WhatsApp: la VPN rechaza su usuario desde esta mañana.",
    )
    snap(page, "desk-intake-new-contact-ticket-form")
    ticket_form(page).get_by_role("button", name="Registrar ticket").click()

    ticket = registered_ticket(page)
    marta = Contact.objects.select_related("user").get(user__email="marta.rivas@acme.test")
    assert (ticket.requester, ticket.channel, ticket.organization) == (marta, Channel.WHATSAPP, world.acme)
    expect(page.locator("#thread")).to_contain_text("WhatsApp")
    snap(page, "desk-intake-new-contact-registered")
    assert emails_to("marta.rivas@acme.test") == sorted(
        [("contact_invitation", None), ("ticket_opened", ticket.number)]
    )

    # The directory knows her now: in her company's page, and on her own with the ticket.
    header_link(page, "Compañías").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compañías")
    snap(page, "desk-companies")
    dead_ends = [
        f"“{name}” → {href} answers {status}"
        for name, href in links_offered(page, "Nueva compañía")
        if (status := page.request.get(href).status) >= 400
    ]
    page.locator("main").get_by_role("link", name="Acme S.A.S.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme S.A.S.")
    contacts = page.get_by_role("region", name="Contactos")
    expect(contacts.get_by_role("row", name=re.compile("Marta Rivas"))).to_contain_text(
        "marta.rivas@acme.test"
    )
    expect(page.get_by_role("region", name="Tickets abiertos")).to_contain_text(f"#{ticket.number}")
    snap(page, "desk-company")
    check_accessibility(page, "desk-company")

    contacts.get_by_role("link", name="Marta Rivas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marta Rivas")
    expect(page.locator("main")).to_contain_text("Acme S.A.S. (principal)")
    tickets = page.get_by_role("region", name="Tickets")
    expect(tickets.get_by_role("link", name=f"#{ticket.number}")).to_be_visible()
    expect(tickets).to_contain_text("No puedo entrar a la VPN")
    snap(page, "desk-contact")
    check_accessibility(page, "desk-contact")

    # An agent who may not create companies (supervisors and admins do) must not be
    # offered a button that leads to the not-found page.
    assert not dead_ends, "The companies list offers the agent a dead end: " + "; ".join(dead_ends)


def test_a_whatsapp_caller_without_email_gets_a_ticket_in_another_teams_queue_and_a_confirmation(
    page: Page, world: World
) -> None:
    sign_in_to_desk(page, "supervisor@atiende.test")
    page.goto("/desk/intake/")
    new = page.locator("main form[method=post]")
    new.get_by_label("Nombre completo").fill("Rosa Llamada")
    new.locator("#id_organization").select_option(label="Acme S.A.S.")
    new.get_by_label("WhatsApp").fill("+57 300 765 4321")
    new.get_by_role("button", name="Registrar y continuar").click()
    expect(page).to_have_url(INTAKE_TICKET_URL)
    expect(page.get_by_text("Rosa Llamada quedó registrado sin correo.")).to_be_visible()
    contact = Contact.objects.get(user__full_name="Rosa Llamada")
    assert not contact.user.has_email

    form = ticket_form(page)
    form.get_by_role("radio", name="WhatsApp", exact=True).check()
    form.get_by_label("Para").select_option(label="Redes")
    form.get_by_label("Servicio").select_option(value="on-demand")
    form.get_by_label("Asunto").fill("Sin señal en la sede norte")
    form.get_by_label("Texto").fill("Escribió por WhatsApp: sin señal desde las 8.")
    # The supervisor sees every queue; an agent of Soporte registers for Redes below.
    form.get_by_role("button", name="Registrar ticket").click()
    expect(page).to_have_url(WORKSPACE_URL)

    forget_session(page)
    sign_in_to_desk(page, "agente@atiende.test")
    page.goto(f"/desk/intake/{contact.pk}/")
    form = ticket_form(page)
    form.get_by_role("radio", name="Teléfono", exact=True).check()
    form.get_by_label("Para").select_option(label="Redes")
    form.get_by_label("Servicio").select_option(value="on-demand")
    form.get_by_label("Asunto").fill("Llamó otra vez: sigue sin señal")
    form.get_by_label("Texto").fill("Llamó a las 10: sigue sin señal en la sede norte.")
    form.get_by_role("button", name="Registrar ticket").click()

    expect(page).to_have_url(re.compile(r"/desk/intake/registered/\d+/$"))
    ticket = Ticket.objects.latest("pk")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"#{ticket.number} registrado en Redes")
    expect(page.locator("main")).to_contain_text("Le avisaremos a Rosa por WhatsApp")
    expect(page.locator("main")).not_to_contain_text("sede norte")
    snap(page, "intake-registered")
    check_accessibility(page, "intake-registered")
    assert not OutboundEmail.objects.filter(to=[contact.user.email]).exists()
