"""A month's statement from recorded time to the issued, sealed, locked document."""

from __future__ import annotations

import datetime
import io
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from atiende.billing import actions, documents, statements
from atiende.billing.models import Adjustment, ContractTerms, LineKind, Statement, next_month
from atiende.outbox.models import OutboundEmail
from atiende.tickets import actions as ticket_actions
from atiende.tickets import ledger
from atiende.tickets.exceptions import InvalidValue, NotAllowed
from atiende.tickets.models import Contract, Service
from tests.billing.conftest import Billing, record
from tests.factories import open_ticket

D = Decimal


def test_draft_draws_the_bank_then_charges_overage(billing: Billing) -> None:
    record(billing, billing.ticket, 400, 3)  # 6 h 40 → in 15-minute blocks: 6 h 45
    record(billing, billing.other, 250, 5)  # 4 h 10 → 4 h 15
    record(billing, billing.other, 30, 6, billable=False, note="Garantía")
    draft = statements.build(billing.world.acme, billing.period)
    assert draft.opening_minutes == D("600")
    assert draft.drawn_minutes == D("600")
    assert draft.closing_minutes == D("0")
    # 405 + 255 = 660 billed; 60 minutes beyond the bank at 150.000/h
    assert draft.subtotal == D("150000.00")
    assert draft.tax == D("28500.00")
    assert draft.total == D("178500.00")


def test_issuing_freezes_seals_locks_and_mails(
    billing: Billing, django_capture_on_commit_callbacks: object
) -> None:
    record(billing, billing.ticket, 690, 3)
    statement = actions.issue_statement(billing.world.supervisor.user, billing.world.acme, billing.period)
    assert statement.number == f"{billing.period.year}-0001"
    assert statement.total == D("267750.00")  # 90 min over at 150.000 = 225.000 + 19 %
    assert statement.banks == {str(billing.contract.pk): {"opening": "600", "drawn": "600", "closing": "0"}}
    assert actions.statement_seal_holds(statement)
    # Sealed in the ticket's history, and the chain still verifies.
    event = billing.ticket.history.order_by("-sequence").first()
    assert event is not None and event.action == "billed" and event.new_value == statement.number
    assert ledger.verify(billing.ticket) == []
    # The month is closed to new time; the current month is not.
    with pytest.raises(InvalidValue) as refused:
        record(billing, billing.ticket, 30, 20)
    assert refused.value.field == "work_date" and statement.number in str(refused.value)
    ticket_actions.add_time_entry(billing.world.agente.user, billing.ticket, minutes=30)
    # The billing contact was told, with the PDF attached when sent.
    email = OutboundEmail.objects.get(kind="billing_statement")
    assert email.to == ["ana@acme.test"]
    assert email.attachments[0]["argument"] == statement.pk


def test_issued_email_carries_the_pdf(billing: Billing, django_capture_on_commit_callbacks: object) -> None:
    record(billing, billing.ticket, 60, 3)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        actions.issue_statement(billing.world.supervisor.user, billing.world.acme, billing.period)
    sent = [m for m in mail.outbox if m.to == ["ana@acme.test"] and "PDF" in m.body]
    assert sent, [m.subject for m in mail.outbox]
    name, content, kind = sent[0].attachments[0]
    assert kind == "application/pdf" and content[:5] == b"%PDF-" and name.endswith(".pdf")


def test_a_tampered_statement_no_longer_matches_its_seal(billing: Billing) -> None:
    record(billing, billing.ticket, 690, 3)
    statement = actions.issue_statement(billing.world.supervisor.user, billing.world.acme, billing.period)
    statement.lines.filter(kind=LineKind.OVERAGE).update(amount=D("1"))
    assert not actions.statement_seal_holds(statement)


def test_only_ended_months_by_supervisors_and_once(billing: Billing) -> None:
    world = billing.world
    with pytest.raises(NotAllowed):
        actions.issue_statement(world.agente.user, world.acme, billing.period)
    with pytest.raises(NotAllowed):
        actions.issue_statement(world.ana.user, world.acme, billing.period)
    with pytest.raises(InvalidValue):
        actions.issue_statement(world.supervisor.user, world.acme, timezone.localdate())
    actions.issue_statement(world.admin.user, world.acme, billing.period)
    with pytest.raises(InvalidValue):
        actions.issue_statement(world.admin.user, world.acme, billing.period)
    with pytest.raises(InvalidValue):
        actions.issue_statement(world.admin.user, world.acme, billing.period, contract=billing.contract)
    other_company = Contract.objects.create(
        organization=world.globex, service=billing.contract.service, valid_from=billing.period
    )
    with pytest.raises(NotAllowed):
        actions.issue_statement(world.admin.user, world.acme, billing.period, contract=other_company)


def test_corrections_are_adjustments_on_the_next_statement(billing: Billing) -> None:
    world = billing.world
    record(billing, billing.ticket, 690, 3)
    first = actions.issue_statement(world.supervisor.user, world.acme, billing.period)
    with pytest.raises(InvalidValue):
        actions.add_adjustment(world.supervisor.user, world.acme, amount="abc", reason="x")
    with pytest.raises(InvalidValue):
        actions.add_adjustment(world.supervisor.user, world.acme, amount="10.005", reason="x")
    with pytest.raises(InvalidValue):
        actions.add_adjustment(world.supervisor.user, world.acme, amount="-50000", reason="  ")
    with pytest.raises(NotAllowed):
        actions.add_adjustment(world.agente.user, world.acme, amount="-50000", reason="x")
    credit = actions.add_adjustment(
        world.supervisor.user, world.acme, amount="-50000", reason="Hora facturada dos veces", corrects=first
    )
    following = next_month(billing.period)
    draft = statements.build(world.acme, following)
    assert draft.adjustments == [credit]
    assert draft.subtotal == D("-50000.00")
    assert draft.tax == D("-9500.00")
    # The issued one stays as it was.
    first.refresh_from_db()
    assert first.total == D("267750.00")


def test_monthly_bank_rolls_over_from_the_issued_closing(billing: Billing) -> None:
    previous = (billing.period - datetime.timedelta(days=1)).replace(day=1)
    Contract.objects.filter(pk=billing.contract.pk).update(valid_from=previous)
    billing.contract.refresh_from_db()
    billing.terms.rollover = True
    billing.terms.effective_from = previous
    billing.terms.save()
    record(billing, billing.ticket, 240, 3)  # 4 of 10 hours
    assert statements.bank_opening(billing.contract, billing.period) == D(
        "1200"
    )  # nothing used the month before
    actions.issue_statement(billing.world.supervisor.user, billing.world.acme, billing.period)
    statement = Statement.objects.get()
    assert statement.opening_minutes == D("1200") and statement.closing_minutes == D("960")
    assert statements.bank_opening(billing.contract, next_month(billing.period)) == D("1560")
    assert previous < billing.period


def test_terms_from_a_date_in_an_issued_month_are_refused(billing: Billing) -> None:
    actions.issue_statement(billing.world.supervisor.user, billing.world.acme, billing.period)
    late = ContractTerms(contract=billing.contract, effective_from=billing.day(15), kind="on_demand")
    with pytest.raises(ValidationError, match="ya fue emitido"):
        late.full_clean()
    ContractTerms(
        contract=billing.contract,
        effective_from=next_month(billing.period),
        kind="on_demand",
        hourly_rate=D("1"),
    ).full_clean()


def test_tickets_without_contract_bill_on_demand(billing: Billing) -> None:
    Service.objects.update_or_create(
        is_on_demand=True, defaults={"hourly_rate": D("90000"), "currency": "COP"}
    )
    loose = open_ticket(billing.world.ana, billing.world.soporte, subject="Sin contrato")
    record(billing, loose, 50, 4)  # 60 min in 15-min blocks
    draft = statements.build(billing.world.acme, billing.period)
    section = next(s for s in draft.sections if s.contract is None)
    assert section.account.subtotal == D("90000.00")


def test_pdf_and_excel_read_back_with_the_statements_totals(billing: Billing, tmp_path: object) -> None:
    record(billing, billing.ticket, 690, 3)
    statement = actions.issue_statement(billing.world.supervisor.user, billing.world.acme, billing.period)
    pdf = documents.pdf(statement)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert statement.number in text
    assert "$ 267.750,00" in text and "$ 225.000,00" in text and "$ 42.750,00" in text
    assert f"#{billing.ticket.number}" in text
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "267.750,00" in out
    sheet = openpyxl.load_workbook(io.BytesIO(documents.xlsx(statement))).active
    assert sheet is not None
    values = {row[2]: row[13] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert D(str(values["Total"])) == statement.total
    assert D(str(values["Subtotal"])) == statement.subtotal
    data = documents.as_json(statement)
    assert data["total"] == "267750.00"
    assert sum(D(line["amount"]) for line in data["lines"] if line["kind"] != "entry") == statement.subtotal


def test_adjustments_are_not_shared_between_companies(billing: Billing) -> None:
    Adjustment.objects.create(
        organization=billing.world.globex, amount=D("10"), reason="Otro", created_by=billing.world.admin.user
    )
    assert statements.build(billing.world.acme, billing.period).adjustments == []
