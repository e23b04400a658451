from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from atiende.billing.models import BillingProfile, ContractTerms, month_start
from atiende.tickets import actions
from atiende.tickets.models import Contract, Service, Ticket
from tests.conftest import World
from tests.factories import open_ticket


@dataclass
class Billing:
    world: World
    contract: Contract
    terms: ContractTerms
    ticket: Ticket
    other: Ticket
    period: datetime.date

    def day(self, number: int) -> datetime.date:
        return self.period.replace(day=number)


def last_month() -> datetime.date:
    return month_start(month_start(timezone.localdate()) - datetime.timedelta(days=1))


@pytest.fixture
def billing(world: World) -> Billing:
    """Acme on a 10-hour monthly bank (overage 150.000/h, 15-minute blocks, IVA 19 %),
    two of its tickets and last month as the period."""
    service = Service.objects.create(name="Mesa de ayuda", hourly_rate=Decimal("0"))
    period = last_month()
    contract = Contract.objects.create(
        organization=world.acme,
        service=service,
        reference="ACME-2026",
        valid_from=period - datetime.timedelta(days=90),
    )
    terms = ContractTerms.objects.create(
        contract=contract,
        effective_from=contract.valid_from,
        kind="hour_bank",
        bank_hours=Decimal("10"),
        overage_rate=Decimal("150000"),
        increment_minutes=15,
        tax_rate=Decimal("19"),
    )
    profile = BillingProfile.objects.create(organization=world.acme, account_manager=world.supervisor)
    profile.contacts.add(world.ana)
    ticket = open_ticket(world.ana, world.soporte, contract=contract, subject="Servidor caído")
    other = open_ticket(world.luis, world.soporte, contract=contract, subject="Correo lento")
    return Billing(world, contract, terms, ticket, other, period)


def record(billing: Billing, ticket: Ticket, minutes: int, day: int, **values: object) -> None:
    actions.add_time_entry(
        billing.world.agente.user,
        ticket,
        minutes=minutes,
        work_date=billing.day(day),
        **values,  # type: ignore[arg-type]
    )
