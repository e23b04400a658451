"""Merging tickets never changes an issued statement: time of a billed month stays on the
duplicate; time of open months moves to the survivor."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from atiende.billing import actions as billing_actions
from atiende.billing import statements
from atiende.billing.models import ContractTerms
from atiende.tickets import actions
from atiende.tickets.models import Contract, MessageKind
from tests.billing.conftest import Billing, record
from tests.factories import open_ticket


def test_time_of_an_issued_month_stays_on_the_duplicate(billing: Billing) -> None:
    record(billing, billing.other, 690, 3)  # last month: issued below
    statement = billing_actions.issue_statement(billing.world.admin.user, billing.world.acme, billing.period)
    actions.add_time_entry(billing.world.agente.user, billing.other, minutes=30)  # this month: open

    actions.merge_tickets(billing.world.agente.user, billing.other, billing.ticket)

    assert list(billing.other.time_entries.values_list("minutes", flat=True)) == [690]
    assert list(billing.ticket.time_entries.values_list("minutes", flat=True)) == [30]
    assert billing_actions.statement_seal_holds(statement)
    assert statement.lines.get(kind="entry").time_entry.ticket_id == billing.other.pk  # type: ignore[union-attr]
    events = billing.other.messages.filter(kind=MessageKind.EVENT).values_list("body_text", flat=True)
    assert "1 registro de tiempo se queda aquí: su mes ya se facturó." in list(events)


def test_time_does_not_move_into_a_month_closed_under_the_survivors_contract(billing: Billing) -> None:
    """The survivor's contract has its own issued statement for last month; the duplicate is
    under another contract whose month is open: its time there stays put."""
    other_contract = Contract.objects.create(
        organization=billing.world.acme,
        service=billing.contract.service,
        reference="ACME-DEMANDA",
        valid_from=billing.contract.valid_from,
    )
    ContractTerms.objects.create(
        contract=other_contract,
        effective_from=other_contract.valid_from,
        kind="on_demand",
        hourly_rate=Decimal("100000"),
    )
    duplicate = open_ticket(billing.world.luis, billing.world.soporte, contract=other_contract)
    record(billing, duplicate, 60, 5)
    billing_actions.issue_statement(
        billing.world.admin.user, billing.world.acme, billing.period, contract=billing.contract
    )
    draft_before = statements.build(billing.world.acme, billing.period, other_contract).total

    actions.merge_tickets(billing.world.agente.user, duplicate, billing.ticket)

    assert duplicate.time_entries.count() == 1 and not billing.ticket.time_entries.exists()
    assert draft_before == Decimal("119000.00")  # 1 h × 100.000 + IVA 19 %
    assert statements.build(billing.world.acme, billing.period, other_contract).total == draft_before


def test_time_of_open_months_moves_as_before(billing: Billing) -> None:
    actions.add_time_entry(
        billing.world.agente.user, billing.other, minutes=45, work_date=timezone.localdate()
    )

    actions.merge_tickets(billing.world.agente.user, billing.other, billing.ticket)

    assert billing.ticket.time_entries.get().minutes == 45
    assert not billing.other.messages.filter(body_text__contains="se queda").exists()
