"""Hour bank balances, what each entry of a ticket costs, and the 80 % / 100 % alerts."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from atiende.billing import actions as billing_actions
from atiende.billing import banks
from atiende.billing.models import BankAlert
from atiende.outbox.models import OutboundEmail
from atiende.tickets import actions
from tests.billing.conftest import Billing, record


def today_entry(billing: Billing, minutes: int, ticket: object = None, **values: object) -> None:
    actions.add_time_entry(
        billing.world.agente.user,
        ticket or billing.ticket,  # type: ignore[arg-type]
        minutes=minutes,
        work_date=timezone.localdate(),
        **values,  # type: ignore[arg-type]
    )


def test_the_balance_counts_this_months_billed_time_against_the_bank(billing: Billing) -> None:
    today_entry(billing, 50)  # bills 60 (15-minute blocks)
    today_entry(billing, 10, billing.other)  # bills 15

    balance = banks.bank_balance(billing.contract)

    assert balance is not None
    assert balance.opening_minutes == Decimal("600")
    assert balance.drawn_minutes == Decimal("75")
    assert balance.left_minutes == Decimal("525")
    assert balance.used_percent == 12  # 12.5 % rounds down
    assert not balance.exhausted


def test_a_contract_without_a_bank_has_no_balance(billing: Billing) -> None:
    billing.terms.kind = "on_demand"
    billing.terms.save()

    assert banks.bank_balance(billing.contract) is None


def test_the_80_percent_alert_goes_to_the_account_manager_and_billing_contacts_once(billing: Billing) -> None:
    today_entry(billing, 465)  # 77.5 %: nothing yet
    assert not OutboundEmail.objects.filter(kind="billing_bank_alert").exists()

    today_entry(billing, 15)  # 480 of 600 minutes: 80 %
    today_entry(billing, 15)  # still past 80 %: not told again

    alerts = OutboundEmail.objects.filter(kind="billing_bank_alert")
    assert sorted(email.to[0] for email in alerts) == sorted(
        [billing.world.supervisor.user.email, billing.world.ana.user.email]
    )
    assert all("80 %" in email.subject for email in alerts)
    assert "8,00 h de 10,00 h" in alerts.get(to=[billing.world.ana.user.email]).body_text
    assert list(BankAlert.objects.values_list("threshold", flat=True)) == [80]


def test_the_100_percent_alert_names_the_overage_rate_and_is_told_once(billing: Billing) -> None:
    today_entry(billing, 600)  # the whole bank at once: only the 100 % alert is sent
    today_entry(billing, 30)

    alerts = OutboundEmail.objects.filter(kind="billing_bank_alert")
    assert alerts.count() == 2
    body = alerts.get(to=[billing.world.ana.user.email]).body_text
    assert "agotada" in alerts.first().subject.lower()  # type: ignore[union-attr]
    assert "$ 150.000,00/h" in body
    assert sorted(BankAlert.objects.values_list("threshold", flat=True)) == [80, 100]


def test_not_billable_time_never_draws_the_bank_nor_alerts(billing: Billing) -> None:
    today_entry(billing, 600, billable=False, note="Garantía")

    balance = banks.bank_balance(billing.contract)
    assert balance is not None and balance.drawn_minutes == 0
    assert not OutboundEmail.objects.filter(kind="billing_bank_alert").exists()


def test_each_entry_costs_what_its_contract_bills(billing: Billing) -> None:
    today_entry(billing, 590, billing.other)  # 600 billed: the bank is used up
    today_entry(billing, 20)  # bills 30 minutes of overage at 150.000/h

    entries = list(billing.ticket.time_entries.all())
    costs = banks.ticket_costs(billing.ticket, entries)

    cost = costs[entries[0].pk]
    assert (cost.billed_minutes, cost.bank_minutes, cost.charged_minutes) == (30, Decimal(0), Decimal(30))
    assert cost.amount == Decimal("75000.00") and cost.currency == "COP"


def test_an_issued_month_shows_what_the_statement_billed(billing: Billing) -> None:
    record(billing, billing.ticket, 700, 3)  # 100 minutes beyond the 10-hour bank
    statement = billing_actions.issue_statement(billing.world.admin.user, billing.world.acme, billing.period)

    entries = list(billing.ticket.time_entries.all())
    cost = banks.ticket_costs(billing.ticket, entries)[entries[0].pk]

    assert cost.statement == statement.number
    assert cost.bank_minutes == Decimal("600") and cost.charged_minutes == Decimal("105")
    assert cost.amount == Decimal("262500.00")


def test_an_exhausted_bank_is_found_for_the_company(billing: Billing) -> None:
    assert banks.exhausted_bank(billing.world.acme.pk) is None
    today_entry(billing, 600)

    found = banks.exhausted_bank(billing.world.acme.pk)

    assert found is not None and found.contract == billing.contract
    assert banks.exhausted_bank(billing.world.globex.pk) is None
