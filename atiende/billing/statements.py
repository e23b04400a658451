"""A month's statement of a company (or of one contract), computed from the time recorded:
the draft. `issue_statement` (actions.py) freezes a draft into a `Statement`.

A company-wide statement has one section per contract with time in the month, plus one for
*soporte por demanda* (tickets filed under no contract, at the on-demand service's rate)."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from atiende.accounts.models import Organization
from atiende.billing import pricing
from atiende.billing.models import Adjustment, ContractTerms, Statement, month_start, next_month
from atiende.sla.business_time import BusinessCalendar
from atiende.sla.models import Calendar
from atiende.tickets.models import Contract, Service, Ticket, TimeEntry

MAX_MONTHS_BACK = 120


@dataclass
class Section:
    contract: Contract | None
    label: str
    terms: pricing.Terms | None  # in force at the start of the month (or first within it)
    account: pricing.MonthAccount
    tax: Decimal = Decimal("0")

    @property
    def is_bank(self) -> bool:
        return self.terms is not None and self.terms.kind == pricing.Kind.HOUR_BANK


@dataclass
class Draft:
    organization: Organization
    contract: Contract | None
    period: datetime.date
    currency: str
    tax_rate: Decimal
    sections: list[Section]
    adjustments: list[Adjustment]
    subtotal: Decimal = Decimal("0")
    tax: Decimal = Decimal("0")
    total: Decimal = Decimal("0")
    problems: list[str] = field(default_factory=list)

    @property
    def period_end(self) -> datetime.date:
        return next_month(self.period) - datetime.timedelta(days=1)

    @property
    def opening_minutes(self) -> Decimal:
        return sum((s.account.opening_minutes for s in self.sections if s.is_bank), Decimal("0"))

    @property
    def drawn_minutes(self) -> Decimal:
        return sum((s.account.drawn_minutes for s in self.sections if s.is_bank), Decimal("0"))

    @property
    def closing_minutes(self) -> Decimal:
        return sum((s.account.closing_minutes for s in self.sections if s.is_bank), Decimal("0"))

    @property
    def has_bank(self) -> bool:
        return any(s.is_bank for s in self.sections)

    def money(self, amount: Decimal) -> str:
        return pricing.format_money(amount, self.currency)


def default_tax_rate() -> Decimal:
    return Decimal(str(settings.ATIENDE_BILLING_TAX_RATE))


def terms_of(contract: Contract) -> list[pricing.Terms]:
    """The contract's terms over time; a contract with none bills on demand at its own rate
    when it has one, else is service-level only (as before billing terms existed)."""
    rows = [t.as_terms() for t in ContractTerms.objects.filter(contract=contract)]
    if rows:
        return rows
    rate = contract.hourly_rate
    if rate:
        return [
            pricing.Terms(
                kind=pricing.Kind.ON_DEMAND,
                effective_from=contract.valid_from,
                currency=contract.service.currency,
                hourly_rate=rate,
                tax_rate=default_tax_rate(),
            )
        ]
    return [pricing.Terms(kind=pricing.Kind.SERVICE_LEVEL, effective_from=contract.valid_from)]


def on_demand_terms() -> list[pricing.Terms]:
    """*Soporte por demanda* for tickets under no contract: the on-demand service's rate."""
    service = Service.objects.filter(is_on_demand=True).first()
    if service is None:
        return []
    return [
        pricing.Terms(
            kind=pricing.Kind.ON_DEMAND,
            effective_from=datetime.date(2000, 1, 1),
            currency=service.currency,
            hourly_rate=service.hourly_rate,
            increment_minutes=settings.ATIENDE_BILLING_INCREMENT_MINUTES,
            tax_rate=default_tax_rate(),
        )
    ]


def month_terms(terms: list[pricing.Terms], period: datetime.date) -> pricing.Terms | None:
    """The terms that set the month's bank: in force on its first day, else the first
    that starts within it."""
    found = pricing.terms_on(terms, period)
    if found is not None:
        return found
    later = sorted(
        (t for t in terms if period <= t.effective_from < next_month(period)), key=lambda t: t.effective_from
    )
    return later[0] if later else None


class Calendars:
    """Each ticket's calendar for after-hours: the contract's, else the queue's, else the
    default (the lookup the service levels use). The links are read once, in a fixed
    number of queries whatever the number of queues and contracts of the month."""

    def __init__(self) -> None:
        self._loaded = False
        self._by_contract: dict[int, int] = {}
        self._by_queue: dict[int, int] = {}
        self._calendars: dict[int, Calendar] = {}
        self._default: int | None = None
        self._business: dict[int, BusinessCalendar] = {}

    def load(self) -> None:
        self._loaded = True
        # The lowest id wins where a contract or queue has several (as `.first()` by pk did).
        for contract, pk in Calendar.objects.filter(contracts__isnull=False).values_list("contracts", "pk"):
            self._by_contract[contract] = min(pk, self._by_contract.get(contract, pk))
        for queue, pk in Calendar.objects.filter(queues__isnull=False).values_list("queues", "pk"):
            self._by_queue[queue] = min(pk, self._by_queue.get(queue, pk))
        rows = Calendar.objects.filter(
            Q(pk__in={*self._by_contract.values(), *self._by_queue.values()}) | Q(is_default=True)
        ).order_by("pk")
        for calendar in rows:
            self._calendars[calendar.pk] = calendar
            if calendar.is_default and self._default is None:
                self._default = calendar.pk

    def for_ticket(self, contract_id: int | None, queue_id: int) -> BusinessCalendar | None:
        if not self._loaded:
            self.load()
        chosen = self._by_contract.get(contract_id) if contract_id else None
        if chosen is None:
            chosen = self._by_queue.get(queue_id, self._default)
        if chosen is None:
            return None
        if chosen not in self._business:
            self._business[chosen] = self._calendars[chosen].business()
        return self._business[chosen]


class PricedEntry(NamedTuple):
    """A time entry with only what pricing and a statement line read, as plain values
    (a month of a large client is thousands of entries: no model built for each)."""

    pk: int
    ticket_id: int
    ticket_number: int
    contract_id: int | None
    queue_id: int
    work_date: datetime.date
    minutes: int
    billable: bool
    started_at: datetime.datetime | None
    engineer_name: str
    engineer_email: str
    note: str


def works_of(entries: Iterable[PricedEntry], calendars: Calendars) -> dict[int | None, list[pricing.Work]]:
    by_contract: dict[int | None, list[pricing.Work]] = {}
    for entry in entries:
        by_contract.setdefault(entry.contract_id, []).append(
            pricing.Work(
                entry_id=entry.pk,
                ticket_id=entry.ticket_id,
                ticket_number=entry.ticket_number,
                work_date=entry.work_date,
                minutes=entry.minutes,
                billable=entry.billable,
                started_at=entry.started_at,
                engineer=entry.engineer_name or entry.engineer_email,
                note=entry.note,
                calendar=calendars.for_ticket(entry.contract_id, entry.queue_id),
            )
        )
    return by_contract


def month_entries(
    organization: Organization,
    period: datetime.date,
    contract: Contract | None = None,
    *,
    ticket: Ticket | None = None,
) -> list[PricedEntry]:
    rows = TimeEntry.objects.filter(
        ticket__organization=organization, work_date__gte=period, work_date__lt=next_month(period)
    )
    if contract is not None:
        rows = rows.filter(ticket__contract=contract)
    if ticket is not None:
        rows = rows.filter(ticket=ticket)
    return _priced(rows)


def _priced(rows: QuerySet[TimeEntry]) -> list[PricedEntry]:
    """The entries with only what pricing and a statement line read."""
    return [
        PricedEntry(*values)
        for values in rows.values_list(
            "pk",
            "ticket_id",
            "ticket__number",
            "ticket__contract_id",
            "ticket__queue_id",
            "work_date",
            "minutes",
            "billable",
            "started_at",
            "agent__full_name",
            "agent__email",
            "note",
        )
    ]


def bank_month_entries(organization_id: int, period: datetime.date) -> list[PricedEntry]:
    """A month of time on the company's tickets under contracts with hour bank terms."""
    banks = ContractTerms.objects.filter(kind=pricing.Kind.HOUR_BANK).values("contract")
    rows = TimeEntry.objects.filter(
        ticket__organization_id=organization_id,
        ticket__contract__in=banks,
        work_date__gte=period,
        work_date__lt=next_month(period),
    )
    return _priced(rows)


def contract_works(contract: Contract, period: datetime.date) -> list[pricing.Work]:
    """A month of one contract's time, as pricing sees it (each ticket with its calendar)."""
    entries = month_entries(contract.organization, period, contract)
    return works_of(entries, Calendars()).get(contract.pk, [])


def ticket_works(ticket: Ticket, period: datetime.date) -> list[pricing.Work]:
    """A month of one ticket's time, as pricing sees it."""
    entries = month_entries(ticket.organization, period, ticket=ticket)
    return works_of(entries, Calendars()).get(ticket.contract_id, [])


def bank_opening(
    contract: Contract,
    period: datetime.date,
    depth: int = 0,
    *,
    terms: list[pricing.Terms] | None = None,
) -> Decimal:
    """The bank's balance at the start of a month: the previous month's issued closing
    balance when it was issued (an issued month is never recomputed), else computed.
    `terms`: the contract's, when the caller has read them already."""
    terms = terms if terms is not None else terms_of(contract)
    this_month = month_terms(terms, period)
    if this_month is None or this_month.kind != pricing.Kind.HOUR_BANK:
        return Decimal("0")
    if this_month.bank_period == pricing.BankPeriod.MONTHLY and not this_month.rollover:
        # Nothing carries over: last month need not be priced (nor the months before it).
        return pricing.opening_balance(this_month, None)
    previous = month_start(period - datetime.timedelta(days=1))
    first_bank = min(t.effective_from for t in terms if t.kind == pricing.Kind.HOUR_BANK)
    if previous < month_start(max(contract.valid_from, first_bank)) or depth >= MAX_MONTHS_BACK:
        return pricing.opening_balance(this_month, None)
    return pricing.opening_balance(this_month, _closing(contract, previous, depth))


def _closing(contract: Contract, period: datetime.date, depth: int) -> Decimal:
    issued = (
        Statement.objects.filter(
            Q(contract=contract) | Q(contract__isnull=True, organization=contract.organization)
        )
        .filter(period=period)
        .values_list("banks", flat=True)
        .first()
    )
    if issued is not None and str(contract.pk) in issued:
        return Decimal(issued[str(contract.pk)]["closing"])
    works = works_of(month_entries(contract.organization, period, contract), Calendars()).get(contract.pk, [])
    opening = bank_opening(contract, period, depth + 1)
    return pricing.price_month(works, terms_of(contract), None, opening_minutes=opening).closing_minutes


def build(organization: Organization, period: datetime.date, contract: Contract | None = None) -> Draft:
    """The draft statement of a month, as it stands now."""
    period = month_start(period)
    calendars = Calendars()
    by_contract = works_of(month_entries(organization, period, contract), calendars)
    contracts = {
        c.pk: c
        for c in Contract.objects.filter(pk__in=[k for k in by_contract if k]).select_related("service")
    }
    if contract is not None:
        contracts[contract.pk] = contract
        by_contract.setdefault(contract.pk, [])
    else:
        # Contracts in force show their bank even in a month without time.
        for c in (
            Contract.objects.filter(organization=organization).in_force(period).select_related("service")
        ):
            contracts.setdefault(c.pk, c)
            by_contract.setdefault(c.pk, [])
    sections: list[Section] = []
    for key in sorted(by_contract, key=lambda k: (k is None, str(contracts[k]) if k else "")):
        if key is None:
            terms = on_demand_terms()
            label = _("On-demand support (no contract)")
            opening = Decimal("0")
            owner = None
        else:
            owner = contracts[key]
            terms = terms_of(owner)
            label = owner.reference or owner.service.name
            opening = bank_opening(owner, period)
        account = pricing.price_month(by_contract[key], terms, None, opening_minutes=opening)
        sections.append(Section(owner, label, month_terms(terms, period), account))
    scope_terms = month_terms(terms_of(contract), period) if contract is not None else None
    currency = (scope_terms.currency if scope_terms else None) or _currency(sections)
    tax_rate = scope_terms.tax_rate if scope_terms else _tax_rate(sections)
    adjustments = list(
        Adjustment.objects.filter(organization=organization, statement__isnull=True)
        .filter(Q(contract=contract) if contract is not None else Q())
        .order_by("created_at")
    )
    draft = Draft(organization, contract, period, currency, tax_rate, sections, adjustments)
    currencies = {s.terms.currency for s in sections if s.terms is not None and s.account.lines}
    if len(currencies) > 1:
        draft.problems.append(
            _(
                "This company's contracts bill in different currencies (%(list)s): issue one statement per contract."
            )
            % {"list": ", ".join(sorted(currencies))}
        )
    for section in sections:
        rate = section.terms.tax_rate if section.terms is not None else tax_rate
        section.tax = pricing.totals([section.account.subtotal], rate).tax
    adjusted = sum((a.amount for a in adjustments), Decimal("0"))
    adjustment_tax = pricing.totals([adjusted], tax_rate).tax
    draft.subtotal = sum((s.account.subtotal for s in sections), Decimal("0")) + adjusted
    draft.tax = sum((s.tax for s in sections), Decimal("0")) + adjustment_tax
    draft.total = draft.subtotal + draft.tax
    return draft


def _currency(sections: list[Section]) -> str:
    for section in sections:
        if section.terms is not None and section.account.lines:
            return section.terms.currency
    for section in sections:
        if section.terms is not None:
            return section.terms.currency
    return str(settings.ATIENDE_BILLING_CURRENCY)


def _tax_rate(sections: list[Section]) -> Decimal:
    for section in sections:
        if section.terms is not None and section.terms.kind != pricing.Kind.SERVICE_LEVEL:
            return section.terms.tax_rate
    return default_tax_rate()


def seal(payload: dict[str, object]) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()
