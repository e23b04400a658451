"""The demo's billing: Acme on a monthly hour bank, Globex's servers on demand and its help
desk on a service level, Initech (no contract in force) on *soporte por demanda*; last
month's time recorded and Acme's statement for it issued; this month Acme's bank is at
85 % (its 80 % alert is in the outbox)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from atiende.accounts.models import Contact, Organization, User
from atiende.billing import actions as billing
from atiende.billing.models import BillingProfile, ContractTerms, month_start
from atiende.demo import data
from atiende.tickets import access, actions
from atiende.tickets.models import Contract, Ticket

# (ticket company, minutes, day of last month, hour it started or None, billable)
WORK = [
    (data.ACME, 95, 2, 9, True),
    (data.ACME, 40, 4, 14, True),
    (data.ACME, 180, 8, 20, True),  # an evening: after hours
    (data.ACME, 25, 11, 10, False),
    (data.ACME, 300, 15, 8, True),
    (data.ACME, 240, 18, 9, True),
    (data.ACME, 420, 22, 9, True),
    (data.ACME, 120, 25, 11, True),
    (data.GLOBEX, 60, 3, 10, True),
    (data.GLOBEX, 135, 9, 15, True),
    (data.GLOBEX, 50, 17, 23, True),
    (data.INITECH, 75, 5, 10, True),
    (data.INITECH, 30, 19, 16, True),
]


def last_month() -> datetime.date:
    return month_start(month_start(timezone.localdate()) - datetime.timedelta(days=1))


def create_billing(tickets: list[Ticket]) -> None:
    acme = Organization.objects.get(name=data.ACME)
    globex = Organization.objects.get(name=data.GLOBEX)
    bank = Contract.objects.get(reference="ACM-MDA-01")
    # The bank started last month (before, the contract was on a service level): its
    # unused hours roll over from there, not from months the demo has no time for.
    ContractTerms.objects.create(contract=bank, effective_from=bank.valid_from, kind="service_level")
    ContractTerms.objects.create(
        contract=bank,
        effective_from=max(bank.valid_from, last_month()),
        kind="hour_bank",
        bank_hours=Decimal("20"),
        rollover=True,
        overage_rate=Decimal("150000"),
        increment_minutes=15,
        minimum_minutes=30,
        after_hours_multiplier=Decimal("1.5"),
        tax_rate=Decimal("19"),
    )
    servers = Contract.objects.get(reference="GLX-SRV-08")
    ContractTerms.objects.create(
        contract=servers, effective_from=servers.valid_from, kind="on_demand", hourly_rate=Decimal("130000")
    )
    help_desk = Contract.objects.get(reference="GLX-MDA-07")
    ContractTerms.objects.create(
        contract=help_desk, effective_from=help_desk.valid_from, kind="service_level"
    )
    manager = User.objects.get(email=data.PATRICIA)
    for company, contact in ((acme, data.ANA), (globex, data.CARLA)):
        profile = BillingProfile.objects.create(organization=company, account_manager=manager.agent_or_none)
        profile.contacts.add(Contact.objects.get(user__email=contact))
    _record_last_month(tickets, User.objects.get(email=data.ANDRES))
    billing.issue_statement(manager, acme, last_month())
    _record_this_month(bank, User.objects.get(email=data.ANDRES), supervisor=manager)


# This month on Acme's 20-hour bank: 17 of 20 hours (85 %), worked in business hours.
THIS_MONTH = [300, 240, 300, 180]


def _record_this_month(bank: Contract, engineer: User, *, supervisor: User) -> None:
    tickets = list(Ticket.objects.filter(contract=bank).order_by("number"))
    if not tickets:
        return
    today = timezone.localdate()
    for index, minutes in enumerate(THIS_MONTH):
        ticket = tickets[index % len(tickets)]
        actor = engineer if access.can_work(engineer, ticket) else supervisor
        actions.add_time_entry(actor, ticket, minutes=minutes, work_date=today, note="Soporte en sitio")


def _record_last_month(tickets: list[Ticket], engineer: User) -> None:
    period = last_month()
    by_company: dict[str, list[Ticket]] = {}
    for ticket in sorted(tickets, key=lambda t: t.number):
        by_company.setdefault(ticket.organization.name, []).append(ticket)
    supervisor = User.objects.get(email=data.PATRICIA)
    for index, (company, minutes, day, hour, billable) in enumerate(WORK):
        own = by_company.get(company, [])
        if not own:
            continue
        ticket = own[index % len(own)]
        if company == data.ACME and ticket.contract_id is None:
            ticket = next((t for t in own if t.contract_id), ticket)
        work_date = period.replace(day=day)
        started = timezone.make_aware(datetime.datetime.combine(work_date, datetime.time(hour)))
        actor = engineer if access.can_work(engineer, ticket) else supervisor
        actions.add_time_entry(
            actor,
            ticket,
            minutes=minutes,
            billable=billable,
            note="" if billable else "Garantía: reinstalación por falla nuestra",
            work_date=work_date,
            started_at=started,
        )
