"""The agents' inbox in a real browser: bulk changes that answer ticket by ticket (a
ticket outside the agent's queues slipped into the batch included), and the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from atiende.tickets import actions
from atiende.tickets.models import HistoryEvent
from tests.browser.conftest import check_accessibility, sign_in_to_desk, snap
from tests.conftest import World
from tests.factories import open_ticket

pytestmark = pytest.mark.browser


def test_a_bulk_close_closes_the_agents_tickets_and_refuses_one_of_another_queue_slipped_in(
    page: Page, world: World
) -> None:
    printer = open_ticket(world.ana, world.soporte, subject="Impresora del piso 2")
    mail = open_ticket(world.luis, world.soporte, subject="Correo no sincroniza")
    kept = open_ticket(world.luis, world.soporte, subject="Monitor parpadea")
    other_queue = open_ticket(world.carla, world.redes, subject="Globex: enlace MPLS caído")
    stage_before = other_queue.status_id
    events_before = HistoryEvent.objects.filter(ticket=other_queue).count()

    sign_in_to_desk(page, "agente@atiende.test")
    page.get_by_role("navigation", name="Vistas").get_by_role("link", name=re.compile(r"^Soporte")).click()
    expect(page).to_have_url(re.compile(r"/desk/queues/soporte/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Soporte")
    expect(page.locator(".inbox-row")).to_have_count(3)
    expect(page.locator("#inbox-list")).not_to_contain_text(other_queue.subject)

    bulk = page.locator("#bulk-form")
    review = bulk.get_by_role("button", name="Revisar el cambio…")
    expect(review).to_be_disabled()
    page.get_by_role("checkbox", name=f"Seleccionar #{printer.number}").check()
    page.get_by_role("checkbox", name=f"Seleccionar #{mail.number}").check()
    expect(bulk.locator(".selected-count")).to_have_text("2 tickets seleccionados")
    bulk.get_by_label("Cambio").select_option(label="Cerrar")
    snap(page, "desk-inbox-queue-selected")
    check_accessibility(page, "desk-inbox-queue")

    # A forged request: the Redes ticket's number goes in the batch as one more checked box.
    page.evaluate(
        """(number) => {
          const box = document.createElement('input');
          box.type = 'checkbox';
          box.name = 'ticket';
          box.value = String(number);
          box.checked = true;
          box.hidden = true;
          document.getElementById('bulk-form').appendChild(box);
        }""",
        other_queue.number,
    )
    review.click()

    expect(page).to_have_url(re.compile(r"/desk/bulk/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirme el cambio")
    expect(page.locator(".bulk-change")).to_contain_text("Cerrar los tickets · 2 tickets")
    to_change = page.locator(".bulk-table tbody tr")
    expect(to_change).to_have_count(2)
    expect(to_change.locator("td.num")).to_have_text(
        [f"#{mail.number}", f"#{printer.number}"]  # as the list showed them, newest first
    )
    missing = page.locator(".bulk-missing")
    expect(missing.get_by_role("heading")).to_have_text("No cambiarán")
    expect(missing).to_contain_text(f"#{other_queue.number}: No encontrado, o no está en sus colas.")
    expect(page.locator("main")).not_to_contain_text(other_queue.subject)
    snap(page, "desk-bulk-review")
    check_accessibility(page, "desk-bulk-review")
    page.get_by_role("button", name="Aplicar a 2 tickets").click()

    expect(page).to_have_url(re.compile(r"/desk/bulk/apply/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultado del cambio")
    expect(page.get_by_role("status")).to_have_text(
        re.compile(r"^\s*Cerrar los tickets\s*·\s*2 listos,\s*1 rechazado\s*$")
    )
    outcomes = page.locator(".bulk-table tbody tr")
    expect(outcomes).to_have_count(3)
    for ticket in (printer, mail):
        row = outcomes.filter(has_text=f"#{ticket.number}")
        expect(row).to_have_class(re.compile(r"\boutcome-done\b"))
        expect(row).to_contain_text("Listo")
        expect(row.get_by_role("link", name=ticket.subject)).to_be_visible()
    refused = outcomes.filter(has_text=f"#{other_queue.number}")
    expect(refused).to_have_class(re.compile(r"\boutcome-refused\b"))
    expect(refused).to_contain_text("Rechazado No encontrado, o no está en sus colas.")
    expect(page.locator("main")).not_to_contain_text(other_queue.subject)
    snap(page, "desk-bulk-done")
    check_accessibility(page, "desk-bulk-done")

    for ticket in (printer, mail, kept, other_queue):
        ticket.refresh_from_db()
    assert (printer.is_closed, mail.is_closed, kept.is_closed) == (True, True, False)
    assert not other_queue.is_closed
    assert other_queue.status_id == stage_before
    assert HistoryEvent.objects.filter(ticket=other_queue).count() == events_before

    page.get_by_role("link", name="Volver a la lista").click()
    expect(page).to_have_url(re.compile(r"/desk/queues/soporte/$"))
    expect(page.locator(".inbox-row")).to_have_count(1)
    expect(page.locator(".inbox-row")).to_contain_text(kept.subject)


def test_in_the_inbox_j_and_k_move_between_rows_and_enter_opens_the_ticket(page: Page, world: World) -> None:
    older = open_ticket(world.ana, world.soporte, subject="Impresora del piso 2")
    newer = open_ticket(world.luis, world.soporte, subject="Correo no sincroniza")
    for ticket in (older, newer):
        actions.take_ticket(world.agente.user, ticket)

    sign_in_to_desk(page, "agente@atiende.test")
    rows = page.locator(".inbox-row")
    expect(rows).to_have_count(2)
    first_number = rows.nth(0).get_attribute("data-number")
    second_number = rows.nth(1).get_attribute("data-number")
    assert {first_number, second_number} == {str(older.number), str(newer.number)}
    snap(page, "desk-inbox-mine")
    check_accessibility(page, "desk-inbox-mine")

    page.keyboard.press("j")
    expect(rows.nth(0).locator("a.open-ticket")).to_be_focused()
    expect(rows.nth(0)).to_have_class(re.compile(r"\bis-current\b"))
    page.keyboard.press("j")
    expect(rows.nth(1).locator("a.open-ticket")).to_be_focused()
    expect(rows.nth(0)).not_to_have_class(re.compile(r"\bis-current\b"))
    page.keyboard.press("k")
    expect(rows.nth(0).locator("a.open-ticket")).to_be_focused()

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/desk/tickets/{first_number}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{first_number}")


def test_the_company_filter_suggests_names_as_one_types_and_filters_by_the_chosen_one(
    page: Page, world: World
) -> None:
    globex = open_ticket(world.carla, world.soporte, subject="Globex: impresora atascada")
    open_ticket(world.luis, world.soporte, subject="Acme: correo no sincroniza")

    sign_in_to_desk(page, "supervisor@atiende.test")
    page.goto(page.url.split("/desk/")[0] + "/desk/all/")
    page.get_by_text("Filtros", exact=True).click()
    company = page.get_by_label("Compañía")
    company.press_sequentially("glob", delay=30)
    suggestion = page.locator("#company-suggestions option")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_have_attribute("value", "Globex Ltda.")
    company.fill("Globex Ltda.")
    snap(page, "desk-inbox-company-filter")
    page.get_by_role("button", name="Aplicar filtros").click()

    expect(page).to_have_url(re.compile(r"company=Globex\+Ltda\."))
    expect(page.locator(".inbox-row")).to_have_count(1)
    expect(page.locator(".inbox-row")).to_contain_text(globex.subject)
    expect(page.get_by_label("Compañía")).to_have_value("Globex Ltda.")


def test_the_open_inbox_keeps_its_list_while_nothing_changes_and_shows_a_new_ticket_after(
    page: Page, world: World
) -> None:
    printer = open_ticket(world.ana, world.soporte, subject="Impresora del piso 2")
    page.clock.install()  # the list polls every 20 s: the test moves the browser's clock
    sign_in_to_desk(page, "agente@atiende.test")
    page.get_by_role("navigation", name="Vistas").get_by_role("link", name=re.compile(r"^Soporte")).click()
    expect(page.locator(".inbox-row")).to_have_count(1)
    page.get_by_role("checkbox", name=f"Seleccionar #{printer.number}").check()
    views = page.get_by_role("navigation", name="Vistas")

    def poll() -> int:
        with page.expect_response(lambda response: "shown=" in response.url) as answered:
            page.clock.fast_forward("00:21")
        return answered.value.status

    assert poll() == 204  # nothing changed: the list stays as it is, the selection too
    expect(page.get_by_role("checkbox", name=f"Seleccionar #{printer.number}")).to_be_checked()

    mail = open_ticket(world.luis, world.soporte, subject="Correo no sincroniza")
    assert poll() == 200
    expect(page.locator(".inbox-row")).to_have_count(2)
    expect(page.locator("#inbox-list")).to_contain_text(mail.subject)
    expect(views.get_by_role("link", name=re.compile(r"^Soporte"))).to_contain_text("2")
    expect(page.get_by_role("checkbox", name=f"Seleccionar #{printer.number}")).to_be_checked()
    snap(page, "desk-inbox-refreshed")
    assert poll() == 204  # the list drawn again polls with its own stamp
