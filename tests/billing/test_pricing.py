"""The pricing rules, each stated in exact money."""

from __future__ import annotations

import datetime
from decimal import Decimal

from atiende.billing.pricing import (
    BankPeriod,
    Kind,
    Terms,
    Work,
    format_hours,
    format_money,
    opening_balance,
    outside_minutes,
    price_month,
    round_up,
    totals,
)
from atiende.sla.business_time import BusinessCalendar

D = Decimal
NINE_TO_SIX = [(datetime.time(9), datetime.time(18))]
BOGOTA = BusinessCalendar.build("America/Bogota", dict.fromkeys(range(5), NINE_TO_SIX), country="CO")
START = datetime.date(2026, 3, 1)


def on_demand(**values: object) -> Terms:
    base: dict[str, object] = {
        "kind": Kind.ON_DEMAND,
        "effective_from": START,
        "hourly_rate": D("120000"),
        "increment_minutes": 15,
        "tax_rate": D("19"),
    }
    return Terms(**(base | values))  # type: ignore[arg-type]


def bank(**values: object) -> Terms:
    base: dict[str, object] = {
        "kind": Kind.HOUR_BANK,
        "effective_from": START,
        "bank_minutes": 600,
        "overage_rate": D("150000"),
        "increment_minutes": 15,
        "tax_rate": D("19"),
    }
    return Terms(**(base | values))  # type: ignore[arg-type]


def work(entry: int, minutes: int, *, ticket: int = 1, day: int = 2, **values: object) -> Work:
    return Work(
        entry_id=entry,
        ticket_id=ticket,
        ticket_number=100 + ticket,
        work_date=datetime.date(2026, 3, day),
        minutes=minutes,
        **values,  # type: ignore[arg-type]
    )


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=BOGOTA.time_zone)


def test_entries_round_up_to_the_increment() -> None:
    assert [round_up(m, 15) for m in (0, 1, 15, 16, 44, 45, 46)] == [0, 15, 15, 30, 45, 45, 60]
    account = price_month([work(1, 7), work(2, 16)], [on_demand()], BOGOTA)
    assert [e.billed_minutes for e in account.entries] == [15, 30]
    # 45 minutes at 120.000/h
    assert account.subtotal == D("90000.00")


def test_a_ticket_under_the_minimum_is_raised_to_it() -> None:
    terms = on_demand(minimum_minutes=30)
    account = price_month([work(1, 10, ticket=1), work(2, 50, ticket=2)], [terms], BOGOTA)
    assert account.minimums == {1: 15}
    # ticket 1: 15 → 30 min; ticket 2: 60 min → 90 min at 120.000/h
    assert account.subtotal == D("180000.00")


def test_not_billable_time_costs_nothing_and_counts_for_no_minimum() -> None:
    account = price_month([work(1, 90, billable=False)], [on_demand(minimum_minutes=30)], BOGOTA)
    assert account.minimums == {}
    assert account.subtotal == D("0")
    assert account.entries[0].billed_minutes == 0


def test_after_hours_across_midnight_is_charged_at_the_multiplier() -> None:
    # Tuesday 3 March 2026, 23:00 → 01:00 Wednesday: all outside 09–18.
    night = work(1, 120, day=3, started_at=at(3, 23))
    # Wednesday 17:30 → 18:30: half an hour inside, half outside.
    evening = work(2, 60, day=4, started_at=at(4, 17, 30))
    account = price_month([night, evening], [on_demand(after_hours_multiplier=D("1.5"))], BOGOTA)
    assert [e.after_hours_minutes for e in account.entries] == [120, 30]
    assert [e.weighted_minutes for e in account.entries] == [D("180.0"), D("75.0")]
    # 255 weighted minutes at 120.000/h = 510.000
    assert account.subtotal == D("510000.00")


def test_holidays_and_weekends_are_after_hours() -> None:
    # 19 March 2026 is a Thursday but a Colombian holiday (San José, moved to Monday 23).
    assert outside_minutes(BOGOTA, at(23, 10), 60) == 60
    assert outside_minutes(BOGOTA, at(24, 10), 60) == 0
    # Saturday
    assert outside_minutes(BOGOTA, at(7, 10), 45) == 45
    # No start time: counted as business hours; no calendar: never after hours.
    assert outside_minutes(BOGOTA, None, 45) == 0
    assert outside_minutes(None, at(7, 10), 45) == 0


def test_hour_bank_draws_first_then_charges_overage() -> None:
    entries = [work(1, 300, day=2), work(2, 240, day=3), work(3, 120, day=4)]
    account = price_month(entries, [bank()], BOGOTA, opening_minutes=D("600"))
    assert [e.bank_minutes for e in account.entries] == [D("300"), D("240"), D("60")]
    assert [e.charged_minutes for e in account.entries] == [D("0"), D("0"), D("60")]
    assert account.closing_minutes == D("0")
    assert account.drawn_minutes == D("600")
    # one hour of overage at 150.000
    assert [(line.kind, line.amount) for line in account.lines] == [("overage", D("150000.00"))]


def test_monthly_bank_rolls_over_or_expires_by_contract() -> None:
    assert opening_balance(bank(rollover=True), None) == D("600")
    assert opening_balance(bank(rollover=True), D("135")) == D("735")
    assert opening_balance(bank(rollover=False), D("135")) == D("600")
    term = bank(bank_period=BankPeriod.TERM, bank_minutes=6000)
    assert opening_balance(term, None) == D("6000")
    assert opening_balance(term, D("4200")) == D("4200")
    assert opening_balance(on_demand(), D("100")) == D("0")


def test_service_level_time_is_shown_never_charged() -> None:
    terms = Terms(kind=Kind.SERVICE_LEVEL, effective_from=START, increment_minutes=15)
    account = price_month([work(1, 50)], [terms], BOGOTA)
    assert account.entries[0].billed_minutes == 60
    assert account.subtotal == D("0")
    assert account.lines == []


def test_terms_changing_mid_month_split_the_month_at_that_day() -> None:
    old = on_demand(hourly_rate=D("100000"))
    new = on_demand(hourly_rate=D("130000"), effective_from=datetime.date(2026, 3, 16), increment_minutes=30)
    entries = [work(1, 60, day=10), work(2, 10, day=16), work(3, 50, day=20)]
    account = price_month(entries, [new, old], BOGOTA)
    assert [e.rate for e in account.entries] == [D("100000"), D("130000"), D("130000")]
    assert [e.billed_minutes for e in account.entries] == [60, 30, 60]
    # 1 h at 100.000 + 1,5 h at 130.000
    assert [(line.rate, line.amount) for line in account.lines] == [
        (D("100000"), D("100000.00")),
        (D("130000"), D("195000.00")),
    ]
    assert account.subtotal == D("295000.00")


def test_time_before_any_terms_is_left_out() -> None:
    late = on_demand(effective_from=datetime.date(2026, 3, 10))
    account = price_month([work(1, 60, day=2), work(2, 60, day=12)], [late], BOGOTA)
    assert [e.work.entry_id for e in account.entries] == [2]


def test_tax_is_rounded_half_up_to_cents() -> None:
    result = totals([D("100000.00"), D("33333.33")], D("19"))
    assert result.subtotal == D("133333.33")
    assert result.tax == D("25333.33")  # 25 333,3327
    assert result.total == D("158666.66")
    mexico = totals([D("1234.50")], D("16"))
    assert mexico.tax == D("197.52")
    assert mexico.total == D("1432.02")
    # a half cent rounds away from zero
    assert totals([D("0.50")], D("1")).tax == D("0.01")


def test_money_lines_round_once_per_rate() -> None:
    # 3 × 20 min at 100.000/h: each alone is 33.333,33; together exactly 100.000.
    entries = [work(n, 20, ticket=n) for n in (1, 2, 3)]
    account = price_month(entries, [on_demand(hourly_rate=D("100000"), increment_minutes=1)], None)
    assert account.subtotal == D("100000.00")


def test_currency_is_written_as_in_colombia_and_mexico() -> None:
    assert format_money(D("1234567.891"), "COP") == "$ 1.234.567,89"
    assert format_money(D("1234567.891"), "MXN") == "$1,234,567.89"
    assert format_money(D("-950"), "COP") == "-$ 950,00"
    assert format_money(D("12.5"), "USD", "es-MX") == "US$12.50"
    assert format_money(D("1000"), "USD", "es-CO") == "US$ 1.000,00"
    assert format_hours(90) == "1,50"
    assert format_hours(D("20")) == "0,33"
