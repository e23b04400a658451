"""The agents' ticket workspace in a real browser: a portal ticket taken and answered,
internal notes kept from the contact, merging a duplicate, two agents on the same ticket,
and a ticket of another queue staying out of reach."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from atiende.outbox.models import OutboundEmail
from atiende.tickets.models import Ticket
from tests.browser.conftest import BrowserLog, check_accessibility, sign_in, sign_in_to_desk, snap
from tests.conftest import World
from tests.factories import open_ticket

pytestmark = pytest.mark.browser

WORKSPACE_URL = re.compile(r"/desk/tickets/(\d+)/$")
PORTAL_TICKET_URL = re.compile(r"/portal/tickets/(\d+)/(#last)?$")


def number_in(page: Page, pattern: re.Pattern[str]) -> int:
    expect(page).to_have_url(pattern)
    match = pattern.search(page.url)
    assert match is not None
    return int(match[1])


def composer(page: Page) -> Locator:
    return page.locator("form#composer")


def write_in_composer(page: Page, kind: str, text: str) -> None:
    """Choose *Respuesta pública* or *Nota interna*, write and press *Enviar*."""
    form = composer(page)
    form.get_by_role("radio", name=kind, exact=True).check()
    form.get_by_label("Texto", exact=True).fill(text)
    form.get_by_role("button", name="Enviar", exact=True).click()


def thread_entry(page: Page, text: str) -> Locator:
    return page.locator("#thread > li.t-msg", has_text=text)


def test_a_portal_ticket_is_taken_and_answered_and_the_contact_reads_the_reply_in_the_portal(
    page: Page, another_page: Callable[[], Page], world: World
) -> None:
    subject = "Conexión caída en recepción"
    reply = "Reiniciamos el enrutador de la Sede Norte; confírmenos si ya tienen internet."

    # The contact opens the ticket in the portal.
    sign_in(page, "luis@acme.test")
    page.goto("/portal/tickets/new/")
    form = page.locator("main form")
    form.get_by_label("Tipo").select_option(label="Incidente")
    form.get_by_label("Para").select_option(label="Soporte")
    form.get_by_label("Servicio").select_option(value="on-demand")
    form.get_by_label("Asunto").fill(subject)
    form.get_by_label("Texto").fill("Desde las 8:00 no hay internet en recepción.")
    form.get_by_role("button", name="Enviar", exact=True).click()
    number = number_in(page, PORTAL_TICKET_URL)

    # The agent finds it in *Sin asignar*.
    desk = another_page()
    sign_in_to_desk(desk, "agente@atiende.test", snap_as="desk-sign-in")
    expect(desk.get_by_role("heading", level=1)).to_have_text("Mis tickets")
    snap(desk, "desk-inbox-mine-empty")
    views = desk.get_by_role("navigation", name="Vistas")
    unassigned = views.get_by_role("link", name=re.compile(r"^Sin asignar"))
    expect(unassigned).to_have_text(re.compile(r"^\s*Sin asignar\s+1\s*$"))
    unassigned.click()
    expect(desk).to_have_url(re.compile(r"/desk/unassigned/$"))
    expect(desk.get_by_role("heading", level=1)).to_have_text("Sin asignar")
    row = desk.locator(".inbox-row", has_text=subject)
    expect(row).to_contain_text(f"#{number}")
    expect(row).to_contain_text("Luis Acme")
    expect(row).to_contain_text("Sin asignar")
    snap(desk, "desk-inbox-unassigned")
    check_accessibility(desk, "desk-inbox")

    row.get_by_role("link", name=subject).click()
    assert number_in(desk, WORKSPACE_URL) == number
    head = desk.locator("#ws-head")
    expect(head.get_by_role("heading", level=1)).to_have_text(f"#{number} {subject}")
    expect(head).to_contain_text("Sin asignar")
    expect(thread_entry(desk, "no hay internet en recepción")).to_contain_text("Cliente")
    check_accessibility(desk, "desk-ticket")

    desk.locator("#properties").get_by_role("button", name="Tomar", exact=True).click()
    expect(head).to_contain_text("Asignado a Agente Soporte")
    expect(desk.locator("#properties").get_by_role("button", name="Tomar")).to_have_count(0)
    expect(composer(desk)).to_contain_text("Se envía por correo al solicitante (luis@acme.test)")
    write_in_composer(desk, "Respuesta pública", reply)
    sent = thread_entry(desk, reply)
    expect(sent).to_contain_text("Respuesta pública")
    expect(sent).to_contain_text("Agente Soporte")
    expect(composer(desk).get_by_label("Texto", exact=True)).to_have_value("")
    snap(desk, "desk-ticket-taken-and-answered")
    check_accessibility(desk, "desk-ticket-answered")

    ticket = Ticket.objects.select_related("assignee").get(number=number)
    assert ticket.assignee == world.agente

    # The contact reads it in the portal, as the engineer's message.
    page.reload()
    last = page.locator(".chat > li.bubble").last
    expect(last).to_contain_text(reply)
    expect(last).to_have_class(re.compile(r"\bengineer\b"))
    expect(last).to_contain_text("Agente Soporte")
    snap(page, "desk-portal-sees-the-reply")

    emails = list(OutboundEmail.objects.filter(kind="ticket_reply", ticket_number=number))
    assert [email.to for email in emails] == [["luis@acme.test"]]
    assert reply in emails[0].body_text


def test_an_internal_note_is_shown_to_the_agent_as_such_and_never_to_the_contact(
    page: Page, another_page: Callable[[], Page], world: World
) -> None:
    ticket = open_ticket(world.luis, world.soporte, subject="Impresora del piso 2")
    note = "El proveedor cambia el fusor el jueves; no prometer fecha al cliente."

    sign_in_to_desk(page, "agente@atiende.test")
    page.goto(f"/desk/tickets/{ticket.number}/")
    write_in_composer(page, "Nota interna", note)
    written = thread_entry(page, note)
    expect(written).to_contain_text("Nota interna")
    expect(written).to_have_class(re.compile(r"\bt-note\b"))
    expect(composer(page).get_by_role("radio", name="Nota interna")).to_be_checked()
    snap(page, "desk-ticket-internal-note")

    portal = another_page()
    sign_in(portal, "luis@acme.test")
    portal.goto(f"/portal/tickets/{ticket.number}/")
    expect(portal.get_by_role("heading", level=1)).to_contain_text(ticket.subject)
    expect(portal.locator(".chat > li.bubble")).to_have_count(1)
    expect(portal.locator("main")).not_to_contain_text("fusor")
    expect(portal.locator("main")).not_to_contain_text("Nota interna")
    snap(portal, "desk-portal-without-the-note")
    assert not OutboundEmail.objects.filter(kind="ticket_reply").exists()


def test_a_duplicate_is_merged_by_number_and_its_messages_continue_in_the_ticket_that_stays(
    page: Page, world: World
) -> None:
    survivor = open_ticket(
        world.ana, world.soporte, subject="Correo no sincroniza", text="Outlook no baja correo desde ayer."
    )
    duplicate = open_ticket(
        world.luis,
        world.soporte,
        subject="Outlook sin correos nuevos",
        text="En mi portátil tampoco llegan correos nuevos.",
    )

    sign_in_to_desk(page, "agente@atiende.test")
    page.goto(f"/desk/tickets/{duplicate.number}/")
    snap(page, "desk-merge-duplicate")
    links = page.locator("#links")
    links.get_by_label("Fusionar este ticket en el ticket número").fill(str(survivor.number))
    links.get_by_role("button", name="Fusionar…").click()

    expect(page).to_have_url(re.compile(rf"/desk/tickets/{duplicate.number}/merge/\?into={survivor.number}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Fusionar #{duplicate.number} en otro ticket")
    cards = page.locator(".merge-card")
    expect(cards.nth(0)).to_contain_text("Se cierra")
    expect(cards.nth(0)).to_contain_text(duplicate.subject)
    expect(cards.nth(1)).to_contain_text("Se conserva")
    expect(cards.nth(1)).to_contain_text(survivor.subject)
    snap(page, "desk-merge-confirm")
    check_accessibility(page, "desk-merge-confirm")
    page.get_by_role("button", name=f"Fusionar #{duplicate.number} en #{survivor.number}").click()

    assert number_in(page, WORKSPACE_URL) == survivor.number
    expect(page.get_by_role("status")).to_contain_text(
        f"El ticket #{duplicate.number} se fusionó en este y quedó cerrado."
    )
    expect(thread_entry(page, "Outlook no baja correo desde ayer.")).to_contain_text("Ana Acme")
    expect(thread_entry(page, "En mi portátil tampoco llegan correos nuevos.")).to_contain_text("Luis Acme")
    expect(page.locator("#thread")).to_contain_text(
        f"El ticket #{duplicate.number} ({duplicate.subject}) se fusionó en este."
    )
    survivor_link = page.locator("#links .linked li", has_text=f"#{duplicate.number}")
    expect(survivor_link).to_have_count(1)
    survivor_says = " ".join(survivor_link.inner_text().split())

    page.locator("#tab-panel").get_by_role("link", name="Historial").click()
    expect(page).to_have_url(re.compile(rf"/desk/tickets/{survivor.number}/history/$"))
    history = page.get_by_role("region", name="Historial")
    expect(history.locator("tr", has_text="Fusionó")).to_contain_text(f"#{duplicate.number}")
    snap(page, "desk-merge-survivor-history")
    check_accessibility(page, "desk-ticket-history")

    page.goto(f"/desk/tickets/{duplicate.number}/")
    expect(page.locator("#ws-head")).to_contain_text("Cerrado")
    expect(page.locator("#composer-closed")).to_contain_text(f"El ticket #{duplicate.number} está cerrado")
    expect(page.locator("#composer")).to_have_count(0)
    expect(page.locator("#links .linked li")).to_contain_text(
        f"Este ticket es un duplicado de #{survivor.number} {survivor.subject}"
    )
    snap(page, "desk-merge-duplicate-closed")
    duplicate.refresh_from_db()
    assert duplicate.is_closed
    assert set(survivor.messages.values_list("ticket", flat=True)) == {survivor.pk}
    merged_emails = OutboundEmail.objects.filter(kind="ticket_merged", ticket_number=survivor.number)
    assert sorted(address for email in merged_emails for address in email.to) == [
        "ana@acme.test",
        "luis@acme.test",
    ]

    # A link reads from each side: the duplicate is the duplicate of the ticket that
    # stays, and the ticket that stays must not claim to be a duplicate of it.
    assert not survivor_says.startswith("Este ticket es un duplicado de"), (
        f"the ticket that stays (#{survivor.number}) lists the merged ticket as {survivor_says!r}: "
        f"it says #{survivor.number} is a duplicate of #{duplicate.number}, the other way round"
    )


def test_two_agents_on_one_ticket_see_each_other_viewing_and_typing(
    page: Page, another_page: Callable[[], Page], world: World
) -> None:
    ticket = open_ticket(world.ana, world.soporte, subject="Teléfono IP sin tono")

    sign_in_to_desk(page, "agente@atiende.test")
    page.goto(f"/desk/tickets/{ticket.number}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(ticket.subject)
    supervisor = another_page()
    sign_in_to_desk(supervisor, "supervisor@atiende.test")
    supervisor.goto(f"/desk/tickets/{ticket.number}/")

    # The second to arrive sees the first at once (its first ping)...
    expect(supervisor.locator("#presence")).to_have_text("Agente Soporte está viendo")
    # ...and the first sees the second on its next ping: typing sends one at once.
    area = composer(page).get_by_label("Texto", exact=True)
    area.press_sequentially("Revis")
    # On a busy machine the typing ping can be slow to answer; the page's own 10 s ping
    # brings the same news, so wait past it rather than on the first one alone.
    expect(page.locator("#presence")).to_have_text("Supervisora está viendo", timeout=25_000)

    # The supervisor's page asks every 10 s; the agent keeps writing meanwhile.
    typing = supervisor.locator("#presence")
    deadline = time.monotonic() + 60
    while True:
        area.press_sequentially("a")
        try:
            expect(typing).to_have_text("Agente Soporte está escribiendo", timeout=1_500)
            break
        except AssertionError:
            if time.monotonic() > deadline:
                raise
    snap(supervisor, "desk-presence-typing")
    snap(page, "desk-presence-viewing")


def test_an_agent_gets_the_not_found_page_for_a_ticket_of_a_queue_they_do_not_work(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    browser_log.expect(r"status of 404 \(Not Found\)")
    elsewhere = open_ticket(world.carla, world.redes, subject="Globex: enlace MPLS caído")

    sign_in_to_desk(page, "agente@atiende.test")
    for url in (f"/desk/tickets/{elsewhere.number}/", f"/desk/tickets/{elsewhere.number}/history/"):
        response = page.goto(url)
        assert response is not None
        assert response.status == 404, (url, response.status)
        expect(page.get_by_role("heading", level=1)).to_have_text("No encontramos esa página")
        expect(page.locator("body")).not_to_contain_text(elsewhere.subject)
        expect(page.locator("body")).not_to_contain_text("Globex")
    snap(page, "desk-not-found")
    check_accessibility(page, "desk-not-found")
