"""A client's terms, as supervisors and admins set them up: contracts (a service for a
period, counted in a calendar) and the service level that promises times on them."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from atiende.accounts.directory import may_keep_companies
from atiende.accounts.models import Organization, User
from atiende.errors import InvalidValue, NotAllowed
from atiende.sla.models import Calendar, SlaPolicy
from atiende.tickets.models import Contract, Service

# A year: a target longer than this is a typing slip, not a promise.
MAX_TARGET_MINUTES = 60 * 24 * 366


def add_contract(
    actor: User,
    organization: Organization,
    *,
    service: Service,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    reference: str = "",
    calendar: Calendar | None = None,
) -> Contract:
    """A service contracted by the company from one date (to another, when it ends),
    whose tickets count business time in `calendar`."""
    if not may_keep_companies(actor):
        raise NotAllowed(_("Only supervisors and administrators can add contracts."))
    if not service.is_active:
        raise InvalidValue("service", _("This service is no longer offered."))
    if valid_to is not None and valid_to < valid_from:
        raise InvalidValue("valid_to", _("The contract must end on or after the day it starts."))
    with transaction.atomic():
        contract = Contract.objects.create(
            organization=organization,
            service=service,
            valid_from=valid_from,
            valid_to=valid_to,
            reference=" ".join(reference.split()),
        )
        if calendar is not None:
            calendar.contracts.add(contract)
            calendar.touch()
    return contract


def add_service_level(
    actor: User,
    contract: Contract,
    *,
    first_response_minutes: int | None,
    resolution_minutes: int | None,
    calendar: Calendar | None = None,
    warning_percent: int = 80,
) -> SlaPolicy:
    """The promise on one contract's tickets: first response and resolution within so
    many minutes of `calendar` (empty: the contract's, else the queue's, else the default)."""
    if not may_keep_companies(actor):
        raise NotAllowed(_("Only supervisors and administrators can set service levels."))
    if first_response_minutes is None and resolution_minutes is None:
        raise InvalidValue(
            "first_response_minutes", _("Give at least one target: first response or resolution.")
        )
    for field, minutes in (
        ("first_response_minutes", first_response_minutes),
        ("resolution_minutes", resolution_minutes),
    ):
        if minutes is not None and not 1 <= minutes <= MAX_TARGET_MINUTES:
            raise InvalidValue(field, _("Write a number of minutes between 1 and 527040 (a year)."))
    name = _policy_name(contract)
    return SlaPolicy.objects.create(
        name=name,
        contract=contract,
        calendar=calendar,
        first_response_minutes=first_response_minutes,
        resolution_minutes=resolution_minutes,
        warning_percent=warning_percent,
    )


def _policy_name(contract: Contract) -> str:
    base = f"{contract.organization.name} — {contract.service.name}"[:110]
    name, number = base, 1
    while SlaPolicy.objects.filter(name=name).exists():
        number += 1
        name = f"{base} ({number})"
    return name
