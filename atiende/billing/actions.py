"""Billing's domain functions: issue a month's statement, record a correction for the next
one. Supervisors and administrators only; every refusal is worded for the person."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from atiende.accounts.models import Organization, User
from atiende.billing import notices, statements
from atiende.billing.models import Adjustment, LineKind, Statement, StatementLine, month_start, next_month
from atiende.tickets import access, ledger
from atiende.tickets.exceptions import InvalidValue, NotAllowed
from atiende.tickets.models import Channel, Contract, Ticket


def may_bill(user: User) -> bool:
    agent = access.active_agent(user)
    return agent is not None and agent.sees_all_queues


def _require_biller(user: User) -> None:
    if not may_bill(user):
        raise NotAllowed(_("Only supervisors and administrators handle billing."))


def issue_statement(
    actor: User,
    organization: Organization,
    period: datetime.date,
    *,
    contract: Contract | None = None,
    channel: Channel = Channel.WEB,
) -> Statement:
    """Freeze the month's draft: number it, store its lines and totals, seal it in each
    billed ticket's history and lock the month's time. The billing contacts get it by email."""
    _require_biller(actor)
    period = month_start(period)
    if contract is not None and contract.organization_id != organization.pk:
        raise NotAllowed()
    if next_month(period) > timezone.localdate():
        raise InvalidValue("month", _("A month can be issued once it has ended."))
    with transaction.atomic():
        _refuse_overlap(organization, period, contract)
        draft = statements.build(organization, period, contract)
        if draft.problems:
            raise InvalidValue("month", draft.problems[0])
        statement = Statement(
            number=_next_number(period),
            organization=organization,
            contract=contract,
            period=period,
            currency=draft.currency,
            subtotal=draft.subtotal,
            tax=draft.tax,
            total=draft.total,
            opening_minutes=draft.opening_minutes,
            drawn_minutes=draft.drawn_minutes,
            closing_minutes=draft.closing_minutes,
            banks={
                str(s.contract.pk): {
                    "opening": str(s.account.opening_minutes),
                    "drawn": str(s.account.drawn_minutes),
                    "closing": str(s.account.closing_minutes),
                }
                for s in draft.sections
                if s.is_bank and s.contract is not None
            },
            issued_by=actor,
        )
        lines = _lines(draft)
        statement.content_sha256 = statements.seal(_payload(statement, lines))
        try:
            with transaction.atomic():
                statement.save(force_insert=True)
        except IntegrityError:
            raise InvalidValue("month", _("This month was just issued by someone else.")) from None
        for line in lines:
            line.statement = statement
        StatementLine.objects.bulk_create(lines)
        Adjustment.objects.filter(pk__in=[a.pk for a in draft.adjustments]).update(statement=statement)
        _seal_in_tickets(actor, statement, lines, channel)
        notices.statement_issued(statement)
    return statement


def _refuse_overlap(organization: Organization, period: datetime.date, contract: Contract | None) -> None:
    issued = Statement.objects.filter(organization=organization, period=period)
    if contract is None and issued.exists():
        raise InvalidValue("month", _("A statement of this month was already issued for this company."))
    if contract is not None and issued.filter(Q(contract=contract) | Q(contract__isnull=True)).exists():
        raise InvalidValue("month", _("A statement of this month was already issued for this contract."))


def _next_number(period: datetime.date) -> str:
    """Numbers run per year: 2026-0001. A concurrent issue that takes the same number
    fails on the unique constraint and is told to try again."""
    prefix = f"{period.year}-"
    last = (
        Statement.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    following = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{following:04d}"


def _lines(draft: statements.Draft) -> list[StatementLine]:
    lines: list[StatementLine] = []

    def add(**values: object) -> None:
        lines.append(StatementLine(position=len(lines) + 1, **values))

    for section in draft.sections:
        for item in section.account.entries:
            work = item.work
            add(
                kind=LineKind.ENTRY,
                ticket_id=work.ticket_id,
                ticket_number=work.ticket_number,
                time_entry_id=work.entry_id,
                work_date=work.work_date,
                engineer=work.engineer[:200],
                description=(work.note or section.label)[:400],
                minutes=work.minutes,
                billed_minutes=item.billed_minutes,
                after_hours_minutes=item.after_hours_minutes,
                weighted_minutes=item.weighted_minutes,
                bank_minutes=item.bank_minutes,
                charged_minutes=item.charged_minutes,
                rate=item.rate,
                amount=item.cost,
            )
        for ticket_id, minutes in section.account.minimums.items():
            number = next(
                i.work.ticket_number for i in section.account.entries if i.work.ticket_id == ticket_id
            )
            add(
                kind=LineKind.MINIMUM,
                ticket_id=ticket_id,
                ticket_number=number,
                description=section.label[:400],
                billed_minutes=minutes,
            )
        for money in section.account.lines:
            add(
                kind=LineKind.OVERAGE if money.kind == "overage" else LineKind.ON_DEMAND,
                description=section.label[:400],
                charged_minutes=money.minutes,
                rate=money.rate,
                amount=money.amount,
            )
    for adjustment in draft.adjustments:
        add(kind=LineKind.ADJUSTMENT, description=adjustment.reason[:400], amount=adjustment.amount)
    return lines


def _payload(statement: Statement, lines: list[StatementLine]) -> dict[str, object]:
    return {
        "number": statement.number,
        "organization": statement.organization_id,
        "contract": statement.contract_id,
        "period": statement.period.isoformat(),
        "currency": statement.currency,
        "subtotal": _exact(statement.subtotal),
        "tax": _exact(statement.tax),
        "total": _exact(statement.total),
        "banks": statement.banks,
        "lines": [
            [
                line.position,
                line.kind,
                line.ticket_number,
                line.time_entry_id,
                line.work_date.isoformat() if line.work_date else None,
                line.minutes,
                line.billed_minutes,
                line.after_hours_minutes,
                _exact(line.weighted_minutes),
                _exact(line.bank_minutes),
                _exact(line.charged_minutes),
                _exact(line.rate),
                _exact(line.amount),
                line.description,
            ]
            for line in lines
        ],
    }


def _exact(value: Decimal) -> str:
    """The same text before saving and after reading back (the columns keep two decimals)."""
    return f"{Decimal(value):.2f}"


def statement_seal_holds(statement: Statement) -> bool:
    """Whether the stored statement still says what was sealed when it was issued."""
    return (
        statements.seal(_payload(statement, list(statement.lines.order_by("position"))))
        == statement.content_sha256
    )


def _seal_in_tickets(actor: User, statement: Statement, lines: list[StatementLine], channel: str) -> None:
    billed: dict[int, dict[str, int]] = {}
    for line in lines:
        if line.ticket_id is not None and line.time_entry_id is not None:
            billed.setdefault(line.ticket_id, {})[str(line.time_entry_id)] = line.billed_minutes
    for ticket in Ticket.objects.select_for_update().filter(pk__in=billed).order_by("pk"):
        ledger.append(
            ticket,
            actor=actor,
            channel=channel,
            action="billed",
            new_value=statement.number,
            content_sha256=statement.content_sha256,
            seal={"statement": {"number": statement.number, "entries": billed[ticket.pk]}},
        )


def add_adjustment(
    actor: User,
    organization: Organization,
    *,
    amount: str | Decimal,
    reason: str,
    corrects: Statement | None = None,
    contract: Contract | None = None,
) -> Adjustment:
    """A correction billed (or credited, when negative) on the next statement."""
    _require_biller(actor)
    try:
        value = Decimal(str(amount).strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidValue("amount", _("Write the amount as a number, e.g. -45000 or 120000.50.")) from None
    if (
        not value.is_finite()
        or value == 0
        or abs(value) >= Decimal("1e12")
        or value != value.quantize(Decimal("0.01"))
    ):
        raise InvalidValue("amount", _("Write an amount other than zero, with at most two decimals."))
    reason = reason.strip()
    if not reason:
        raise InvalidValue("reason", _("Say why: the reason is printed on the statement."))
    if corrects is not None and corrects.organization_id != organization.pk:
        raise NotAllowed()
    if contract is not None and contract.organization_id != organization.pk:
        raise NotAllowed()
    return Adjustment.objects.create(
        organization=organization,
        contract=contract,
        corrects=corrects,
        amount=value,
        reason=reason[:300],
        created_by=actor,
    )
