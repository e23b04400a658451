"""What time costs under a contract's terms: pure arithmetic over plain values, no database.

Every amount is a `Decimal`. The rules, in the order they apply:

1. Each billable entry is rounded *up* to the terms' billing increment (15-minute blocks:
   7 minutes bill 15, 16 bill 30).
2. The part of an entry worked outside the contract's business calendar (nights, weekends,
   holidays, measured on the entry's real start instant) is billed at the after-hours
   multiplier; it is rounded up to the increment too and never exceeds the entry's billed
   minutes. An entry without a start time counts as worked in business hours.
3. A ticket whose billed time in the period is under the terms' minimum is raised to it.
4. Hour bank: the weighted minutes draw from the bank, oldest entry first; what the bank
   cannot cover is overage at the overage rate. On-demand: everything at the hourly rate.
   Service-level only: time is shown, never charged.
5. Money lines are grouped by rate and rounded once each, half up, to cents; tax is the
   subtotal times the rate, rounded the same way.

Terms apply from their `effective_from` date: each entry is priced by the terms in force
on its work date, so a change in the middle of a month splits the month at that day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from atiende.sla.business_time import BusinessCalendar, business_minutes_between

CENT = Decimal("0.01")
ZERO = Decimal("0")
SIXTY = Decimal("60")


class Kind(StrEnum):
    SERVICE_LEVEL = "service_level"
    HOUR_BANK = "hour_bank"
    ON_DEMAND = "on_demand"


class BankPeriod(StrEnum):
    MONTHLY = "monthly"
    TERM = "term"


@dataclass(frozen=True)
class Terms:
    kind: Kind
    effective_from: datetime.date
    currency: str = "COP"
    hourly_rate: Decimal = ZERO
    bank_minutes: int = 0
    bank_period: BankPeriod = BankPeriod.MONTHLY
    rollover: bool = False
    overage_rate: Decimal = ZERO
    increment_minutes: int = 1
    minimum_minutes: int = 0
    after_hours_multiplier: Decimal = Decimal("1")
    tax_rate: Decimal = ZERO  # percent: 19 means IVA 19 %

    def charge_rate(self) -> Decimal:
        """The rate for time not covered by a bank (none under service-level terms)."""
        if self.kind == Kind.ON_DEMAND:
            return self.hourly_rate
        if self.kind == Kind.HOUR_BANK:
            return self.overage_rate
        return ZERO


@dataclass(frozen=True)
class Work:
    """One time entry as billing sees it."""

    entry_id: int
    ticket_id: int
    ticket_number: int
    work_date: datetime.date
    minutes: int
    billable: bool = True
    started_at: datetime.datetime | None = None
    engineer: str = ""
    note: str = ""
    # The ticket's own business calendar, when it differs from the one given to price_month.
    calendar: BusinessCalendar | None = None


@dataclass(frozen=True)
class PricedWork:
    work: Work
    terms: Terms
    billed_minutes: int  # after rounding to the increment (0 when not billable)
    after_hours_minutes: int  # of the billed minutes, those outside business hours
    weighted_minutes: Decimal  # billed, with after-hours minutes times the multiplier
    bank_minutes: Decimal = ZERO  # drawn from the hour bank
    charged_minutes: Decimal = ZERO  # billed at a rate (overage or on demand)
    rate: Decimal = ZERO

    @property
    def cost(self) -> Decimal:
        return money(self.charged_minutes / SIXTY * self.rate)


@dataclass(frozen=True)
class MoneyLine:
    kind: str  # "overage", "on_demand"
    minutes: Decimal
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Adjustment:
    amount: Decimal
    reason: str


@dataclass
class MonthAccount:
    """A month of one contract's time, priced."""

    entries: list[PricedWork]
    minimums: dict[int, int]  # ticket id → minutes added to reach the minimum
    opening_minutes: Decimal
    drawn_minutes: Decimal
    closing_minutes: Decimal
    lines: list[MoneyLine] = field(default_factory=list)

    @property
    def subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_up(minutes: int, increment: int) -> int:
    if minutes <= 0:
        return 0
    step = max(increment, 1)
    return -(-minutes // step) * step


def terms_on(terms: Sequence[Terms], day: datetime.date) -> Terms | None:
    """The terms in force on a day: the latest that started on or before it."""
    chosen = None
    for candidate in sorted(terms, key=lambda t: t.effective_from):
        if candidate.effective_from <= day:
            chosen = candidate
    return chosen


def outside_minutes(calendar: BusinessCalendar | None, start: datetime.datetime | None, minutes: int) -> int:
    """Minutes of [start, start + minutes) outside the calendar's working time."""
    if calendar is None or start is None or minutes <= 0:
        return 0
    if not calendar.has_hours:
        return minutes
    inside = business_minutes_between(calendar, start, start + datetime.timedelta(minutes=minutes))
    return max(minutes - inside, 0)


def price_work(work: Work, terms: Terms, calendar: BusinessCalendar | None) -> PricedWork:
    if not work.billable:
        return PricedWork(work, terms, 0, 0, ZERO)
    billed = round_up(work.minutes, terms.increment_minutes)
    after = min(
        round_up(outside_minutes(calendar, work.started_at, work.minutes), terms.increment_minutes), billed
    )
    weighted = Decimal(billed - after) + Decimal(after) * terms.after_hours_multiplier
    return PricedWork(work, terms, billed, after, weighted)


def price_month(
    works: Iterable[Work],
    terms: Sequence[Terms],
    calendar: BusinessCalendar | None,
    *,
    opening_minutes: Decimal = ZERO,
) -> MonthAccount:
    """Price a month of one contract. `opening_minutes` is the bank's balance at the start
    of the month (see `opening_balance`); works without terms in force are left out."""
    priced: list[PricedWork] = []
    for work in sorted(works, key=lambda w: (w.work_date, w.started_at or _NO_START, w.entry_id)):
        in_force = terms_on(terms, work.work_date)
        if in_force is not None:
            priced.append(price_work(work, in_force, work.calendar or calendar))
    minimums = _minimums(priced)
    remaining = opening_minutes
    drawn = ZERO
    settled: list[PricedWork] = []
    topped: set[int] = set()
    for item in priced:
        weighted = item.weighted_minutes
        if item.work.ticket_id in minimums and item.work.ticket_id not in topped and item.billed_minutes:
            # The minimum is charged with the ticket's first billable entry of the month.
            weighted += Decimal(minimums[item.work.ticket_id])
            topped.add(item.work.ticket_id)
        bank = ZERO
        if item.terms.kind == Kind.HOUR_BANK:
            bank = min(weighted, max(remaining, ZERO))
            remaining -= bank
            drawn += bank
        charged = ZERO if item.terms.kind == Kind.SERVICE_LEVEL else weighted - bank
        settled.append(
            PricedWork(
                item.work,
                item.terms,
                item.billed_minutes,
                item.after_hours_minutes,
                weighted,
                bank_minutes=bank,
                charged_minutes=charged,
                rate=item.terms.charge_rate() if charged else ZERO,
            )
        )
    account = MonthAccount(settled, minimums, opening_minutes, drawn, max(opening_minutes - drawn, ZERO))
    account.lines = _money_lines(settled)
    return account


_NO_START = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def _minimums(priced: Sequence[PricedWork]) -> dict[int, int]:
    billed: dict[int, int] = {}
    first_terms: dict[int, Terms] = {}
    for item in priced:
        if item.billed_minutes:
            billed[item.work.ticket_id] = billed.get(item.work.ticket_id, 0) + item.billed_minutes
            first_terms.setdefault(item.work.ticket_id, item.terms)
    return {
        ticket: first_terms[ticket].minimum_minutes - minutes
        for ticket, minutes in billed.items()
        if minutes < first_terms[ticket].minimum_minutes
    }


def _money_lines(settled: Sequence[PricedWork]) -> list[MoneyLine]:
    grouped: dict[tuple[str, Decimal], Decimal] = {}
    for item in settled:
        if item.charged_minutes:
            kind = "overage" if item.terms.kind == Kind.HOUR_BANK else "on_demand"
            key = (kind, item.rate)
            grouped[key] = grouped.get(key, ZERO) + item.charged_minutes
    return [
        MoneyLine(kind, minutes, rate, money(minutes / SIXTY * rate))
        for (kind, rate), minutes in sorted(grouped.items(), key=lambda pair: (pair[0][0], pair[0][1]))
    ]


def allowance(terms: Terms | None) -> Decimal:
    if terms is None or terms.kind != Kind.HOUR_BANK:
        return ZERO
    return Decimal(terms.bank_minutes)


def opening_balance(terms: Terms | None, previous_closing: Decimal | None) -> Decimal:
    """The bank at the start of a month. `previous_closing` is None in the first month of
    the contract (or of a term bank). Monthly banks get their allowance every month and add
    last month's leftover only when it rolls over; a bank for the whole term is granted
    once and then carries its balance."""
    if terms is None or terms.kind != Kind.HOUR_BANK:
        return ZERO
    if terms.bank_period == BankPeriod.TERM:
        return allowance(terms) if previous_closing is None else previous_closing
    carried = previous_closing if (terms.rollover and previous_closing is not None) else ZERO
    return allowance(terms) + carried


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    tax: Decimal
    total: Decimal


def totals(lines: Iterable[Decimal], tax_rate: Decimal) -> Totals:
    subtotal = sum(lines, ZERO)
    tax = money(subtotal * tax_rate / Decimal(100))
    return Totals(subtotal, tax, subtotal + tax)


# --- money as people write it ---------------------------------------------------------------

SYMBOLS = {"COP": "$", "MXN": "$", "USD": "US$", "EUR": "€"}
# Colombia writes $ 1.234.567,89; Mexico $1,234,567.89 (CLDR es-CO / es-MX).
STYLES = {"es-CO": (".", ",", " "), "es-MX": (",", ".", "")}
CURRENCY_STYLE = {"COP": "es-CO", "MXN": "es-MX"}


def format_money(amount: Decimal, currency: str, style: str | None = None) -> str:
    group, decimal_mark, gap = STYLES.get(style or CURRENCY_STYLE.get(currency, "es-CO"), STYLES["es-CO"])
    value = money(amount)
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    digits: list[str] = []
    while len(whole) > 3:
        digits.insert(0, whole[-3:])
        whole = whole[:-3]
    digits.insert(0, whole)
    symbol = SYMBOLS.get(currency, currency + " ")
    return f"{sign}{symbol}{gap}{group.join(digits)}{decimal_mark}{cents}"


def format_hours(minutes: Decimal | int) -> str:
    """Hours with two decimals, as a plain number (1,50)."""
    hours = (Decimal(minutes) / SIXTY).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{hours:.2f}".replace(".", ",")
