"""Billing in a real browser: the workspace's timer survives a reload and records what it
measured; *Nuevo Ticket* warns of a used-up hour bank before sending; a statement's totals
stay in sight on a phone; the contract page for those who bill."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from atiende.billing import actions as billing_actions
from atiende.tickets import actions
from tests.billing.conftest import Billing, record
from tests.billing.conftest import billing as billing
from tests.browser.conftest import PHONE, check_accessibility, sign_in, sign_in_to_desk, snap

pytestmark = pytest.mark.browser


def test_the_timer_survives_a_reload_and_records_its_minutes_with_its_start(
    page: Page, billing: Billing
) -> None:
    sign_in_to_desk(page, billing.world.agente.user.email)
    page.goto(f"/desk/tickets/{billing.ticket.number}/")
    card = page.locator("#time")

    card.get_by_role("button", name="Iniciar cronómetro").click()
    clock = card.locator("[data-timer-clock]")
    expect(clock).not_to_have_text("00:00", timeout=5000)
    started = page.evaluate(f"() => localStorage.getItem('atiende:timer:{billing.ticket.number}')")

    page.reload()
    expect(card.get_by_role("button", name="Detener")).to_be_visible()
    assert page.evaluate(f"() => localStorage.getItem('atiende:timer:{billing.ticket.number}')") == started
    expect(clock).not_to_have_text("00:00")

    card.get_by_role("button", name="Detener").click()
    expect(card.get_by_label("Minutos")).to_have_value("1")
    expect(card.locator("input[name=started_at]")).not_to_have_value("")
    card.get_by_label("Nota").fill("Diagnóstico remoto")
    card.get_by_role("button", name="Registrar tiempo").click()

    expect(card.locator(".entries")).to_contain_text("Diagnóstico remoto")
    entry = billing.ticket.time_entries.get()
    assert entry.minutes == 1 and entry.started_at is not None
    assert page.evaluate(f"() => localStorage.getItem('atiende:timer:{billing.ticket.number}')") is None
    expect(card.get_by_role("button", name="Iniciar cronómetro")).to_be_visible()
    expect(card.locator(".entries")).to_contain_text("de la bolsa")
    # Screenshots and axe last: they leave empty style attributes on the inputs, which an
    # htmx swap would then copy (refused by the CSP).
    card.get_by_role("button", name="Iniciar cronómetro").click()
    expect(clock).not_to_have_text("00:00", timeout=5000)
    snap(page, "billing-timer-running")
    check_accessibility(page, "billing-timer-running")


def test_a_quick_entry_and_the_requester_cards_bank(page: Page, billing: Billing) -> None:
    actions.add_time_entry(billing.world.agente.user, billing.other, minutes=480)
    sign_in_to_desk(page, billing.world.supervisor.user.email)
    page.goto(f"/desk/tickets/{billing.ticket.number}/")

    page.locator("#time").get_by_role("button", name="+30 min").click()

    expect(page.locator("#time .entries")).to_contain_text("30 min")
    page.reload()  # the card is drawn with the page
    requester = page.locator(".ws-card.requester")
    expect(requester).to_contain_text("8,50 h de 10,00 h usadas (85 %)")
    snap(page, "billing-workspace-bank")
    requester.get_by_role("link", name="ACME-2026").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ACME-2026")
    expect(page.locator("main")).to_contain_text("$\u00a0150.000,00/h")
    snap(page, "billing-contract")
    check_accessibility(page, "billing-contract")


def test_nuevo_ticket_warns_of_a_used_up_bank_before_sending(page: Page, billing: Billing) -> None:
    actions.add_time_entry(billing.world.agente.user, billing.other, minutes=600)
    sign_in(page, billing.world.luis.user.email)

    page.goto("/portal/tickets/new/")

    notice = page.get_by_role("status").filter(has_text="Su bolsa de horas está agotada")
    expect(notice).to_contain_text("se facturará como soporte por demanda a $\u00a0150.000,00/h")
    snap(page, "billing-new-ticket-exhausted")
    check_accessibility(page, "billing-new-ticket-exhausted")


def test_a_statements_totals_are_in_sight_on_a_phone(page: Page, billing: Billing) -> None:
    record(billing, billing.ticket, 690, 3)
    record(billing, billing.other, 45, 4)
    statement = billing_actions.issue_statement(billing.world.admin.user, billing.world.acme, billing.period)
    sign_in(page, billing.world.ana.user.email)

    page.set_viewport_size(PHONE)
    page.goto(f"/portal/services/statements/{statement.number}/")

    total = page.locator(".statement-totals .grand dd")
    expect(total).to_have_text("$ 401.625,00")  # 2,25 h of overage × 150.000 + IVA 19 %
    box = total.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    snap(page, "billing-portal-statement")
    check_accessibility(page, "billing-portal-statement")
