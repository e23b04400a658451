"""What the desk and the portal ask of billing while work goes on: how much of an hour bank
is left this month, what each of a ticket's time entries will cost, and the alerts when a
bank reaches 80 % and 100 %."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from atiende.billing import notices, pricing, statements
from atiende.billing.locks import closing_statement
from atiende.billing.models import BankAlert, ContractTerms, StatementLine, month_start
from atiende.tickets.models import Contract, Ticket, TimeEntry

ZERO = Decimal("0")
THRESHOLDS = (80, 100)


@dataclass(frozen=True)
class BankBalance:
    """One hour bank in one month: what it started with, what was drawn, what is left."""

    contract: Contract
    period: datetime.date
    terms: pricing.Terms
    opening_minutes: Decimal
    drawn_minutes: Decimal
    overage_minutes: Decimal

    @property
    def left_minutes(self) -> Decimal:
        return max(self.opening_minutes - self.drawn_minutes, ZERO)

    @property
    def used_percent(self) -> int:
        """Whole percent used, rounded down (79.9 % is not yet 80 %); an empty bank is 100 %."""
        if self.opening_minutes <= 0:
            return 100
        return min(int(self.drawn_minutes * 100 / self.opening_minutes), 100)

    @property
    def exhausted(self) -> bool:
        return self.left_minutes <= 0

    @property
    def currency(self) -> str:
        return self.terms.currency

    @property
    def overage_rate(self) -> Decimal:
        return self.terms.overage_rate


def bank_balance(contract: Contract, day: datetime.date | None = None) -> BankBalance | None:
    """The balance of the contract's hour bank in the month of `day` (this month by
    default); None when the contract is not on an hour bank that month."""
    period = month_start(day or timezone.localdate())
    terms = statements.month_terms(statements.terms_of(contract), period)
    if terms is None or terms.kind != pricing.Kind.HOUR_BANK:
        return None
    opening = statements.bank_opening(contract, period)
    works = statements.contract_works(contract, period)
    account = pricing.price_month(works, statements.terms_of(contract), None, opening_minutes=opening)
    overage = sum((item.charged_minutes for item in account.entries), ZERO)
    return BankBalance(contract, period, terms, opening, account.drawn_minutes, overage)


def bank_balances(
    organization_id: int, contracts: list[Contract], day: datetime.date | None = None
) -> list[BankBalance]:
    """The balances of the company's hour banks among `contracts` (those in force), in a
    fixed number of queries however many contracts and entries: the ticket page asks."""
    period = month_start(day or timezone.localdate())
    if not contracts:
        return []
    terms: dict[int, list[pricing.Terms]] = {}
    for row in ContractTerms.objects.filter(contract__in=[contract.pk for contract in contracts]):
        terms.setdefault(row.contract_id, []).append(row.as_terms())
    banked = []
    for contract in contracts:
        own = terms.get(contract.pk, [])
        in_force = statements.month_terms(own, period)
        if in_force is not None and in_force.kind == pricing.Kind.HOUR_BANK:
            banked.append((contract, own, in_force))
    if not banked:
        return []  # no hour bank this month: nothing drawn to read
    entries = statements.bank_month_entries(organization_id, period)
    works = statements.works_of(entries, statements.Calendars())  # calendars read if any entry
    balances = []
    for contract, own, in_force in banked:
        opening = statements.bank_opening(contract, period, terms=own)
        account = pricing.price_month(works.get(contract.pk, []), own, None, opening_minutes=opening)
        overage = sum((item.charged_minutes for item in account.entries), ZERO)
        balances.append(BankBalance(contract, period, in_force, opening, account.drawn_minutes, overage))
    return balances


def exhausted_bank(organization_id: int, day: datetime.date | None = None) -> BankBalance | None:
    """The company's hour bank in force that is used up this month, if any: its tickets
    are billed at the overage rate."""
    today = day or timezone.localdate()
    for contract in (
        Contract.objects.filter(organization_id=organization_id).in_force(today).select_related("service")
    ):
        balance = bank_balance(contract, today)
        if balance is not None and balance.exhausted:
            return balance
    return None


# --- what a ticket's time costs ------------------------------------------------------------


@dataclass(frozen=True)
class EntryCost:
    """One time entry as its contract bills it: rounded, after hours, from the bank, charged."""

    billed_minutes: int
    after_hours_minutes: int
    bank_minutes: Decimal
    charged_minutes: Decimal
    amount: Decimal
    currency: str
    kind: str  # the terms' kind: service_level, hour_bank, on_demand
    statement: str = ""  # the number of the statement that billed it, once issued


def ticket_costs(ticket: Ticket, entries: list[TimeEntry]) -> dict[int, EntryCost]:
    """What each of the ticket's entries costs, by entry id. An issued month answers with
    what was issued; an open month is priced as its draft stands (an hour bank is drawn
    oldest entry first across all the contract's tickets, so a later entry may fall into
    overage)."""
    costs: dict[int, EntryCost] = {}
    months = sorted({month_start(entry.work_date) for entry in entries})
    for period in months:
        mine = {entry.pk for entry in entries if month_start(entry.work_date) == period}
        issued = closing_statement(ticket.organization_id, ticket.contract_id, period)
        if issued is not None:
            for line in StatementLine.objects.filter(statement=issued, time_entry_id__in=mine):
                costs[line.time_entry_id or 0] = EntryCost(
                    line.billed_minutes,
                    line.after_hours_minutes,
                    line.bank_minutes,
                    line.charged_minutes,
                    line.amount,
                    issued.currency,
                    "",
                    issued.number,
                )
            continue
        account = _month_account(ticket, period)
        for item in account.entries:
            if item.work.entry_id in mine:
                costs[item.work.entry_id] = EntryCost(
                    item.billed_minutes,
                    item.after_hours_minutes,
                    item.bank_minutes,
                    item.charged_minutes,
                    item.cost,
                    item.terms.currency,
                    item.terms.kind.value,
                )
    return costs


def _month_account(ticket: Ticket, period: datetime.date) -> pricing.MonthAccount:
    if ticket.contract is None:
        works = statements.ticket_works(ticket, period)
        return pricing.price_month(works, statements.on_demand_terms(), None)
    contract = ticket.contract
    opening = statements.bank_opening(contract, period)
    works = statements.contract_works(contract, period)
    return pricing.price_month(works, statements.terms_of(contract), None, opening_minutes=opening)


# --- alerts --------------------------------------------------------------------------------


def check_bank_alerts(contract: Contract, day: datetime.date) -> list[int]:
    """After time was recorded: tell the account manager and the billing contacts when the
    bank of that month crossed 80 % or 100 %. Each threshold is told once per contract and
    month (a row per alert, unique), so recording more time or retrying says nothing twice.
    Returns the thresholds told now. The caller's transaction carries the emails."""
    balance = bank_balance(contract, day)
    if balance is None or balance.opening_minutes <= 0:
        return []
    told: list[int] = []
    for threshold in THRESHOLDS:
        if balance.used_percent < threshold:
            continue
        try:
            with transaction.atomic():
                BankAlert.objects.create(contract=contract, period=balance.period, threshold=threshold)
        except IntegrityError:
            continue  # told before
        told.append(threshold)
    if told:
        notices.bank_alert(balance, max(told))
    return told
