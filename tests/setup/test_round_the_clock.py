"""Calendars are chosen on the contract or the policy itself; the ready 24x7 calendar
counts every hour of every day, so a Sunday ticket is answered on Sunday."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from atiende.sla import actions as terms
from atiende.sla.models import Calendar, TicketSla
from tests.factories import ServiceFactory, open_ticket
from tests.sla.conftest import bogota, make_calendar

SUNDAY_MORNING = bogota(2026, 3, 8, 10, 0)


@pytest.fixture
def office_hours(world):
    """The trap of the report: office hours (8–12, 13–17 on weekdays) on the queue and as
    the default."""
    calendar = make_calendar(
        "Oficina",
        "America/Bogota",
        "CO",
        [(dt.time(8), dt.time(12)), (dt.time(13), dt.time(17))],
        is_default=True,
    )
    calendar.queues.add(world.soporte)
    return calendar


def _contract(world, calendar=None):
    return terms.add_contract(
        world.supervisor.user,
        world.acme,
        service=ServiceFactory.create(name="Soporte 24x7"),
        valid_from=dt.date(2026, 1, 1),
        calendar=calendar,
    )


def _sunday_ticket(world, contract):
    with time_machine.travel(SUNDAY_MORNING, tick=False):
        return open_ticket(world.luis, world.soporte, contract=contract, service=contract.service)


def test_a_24x7_contract_answers_a_sunday_ticket_on_sunday(world, office_hours):
    contract = _contract(world, Calendar.objects.get(name="24x7"))
    terms.add_service_level(
        world.supervisor.user, contract, first_response_minutes=60, resolution_minutes=None
    )

    sla = TicketSla.objects.get(ticket=_sunday_ticket(world, contract))

    assert sla.calendar is not None
    assert sla.calendar.name == "24x7"
    assert sla.first_response_due_at == bogota(2026, 3, 8, 11, 0)


def test_a_policy_counts_in_its_own_calendar_whatever_the_contracts(world, office_hours):
    contract = _contract(world)
    terms.add_service_level(
        world.supervisor.user,
        contract,
        first_response_minutes=60,
        resolution_minutes=None,
        calendar=Calendar.objects.get(name="24x7"),
    )

    sla = TicketSla.objects.get(ticket=_sunday_ticket(world, contract))

    assert sla.first_response_due_at == bogota(2026, 3, 8, 11, 0)


def test_without_a_calendar_of_its_own_the_office_hours_still_apply(world, office_hours):
    contract = _contract(world)
    terms.add_service_level(
        world.supervisor.user, contract, first_response_minutes=60, resolution_minutes=None
    )

    sla = TicketSla.objects.get(ticket=_sunday_ticket(world, contract))

    # Monday opens at 08:00: one business hour later.
    assert sla.first_response_due_at == bogota(2026, 3, 9, 9, 0)


def test_the_ticket_page_says_which_policy_and_calendar_apply(client, world, office_hours):
    contract = _contract(world, Calendar.objects.get(name="24x7"))
    policy = terms.add_service_level(
        world.supervisor.user, contract, first_response_minutes=60, resolution_minutes=None
    )
    ticket = _sunday_ticket(world, contract)
    client.force_login(world.agente.user)

    html = client.get(reverse("desk:ticket", args=[ticket.number])).content.decode()

    assert policy.name in html
    assert "Calendario: 24x7" in html


def test_only_supervisors_and_admins_set_terms(world):
    from atiende.errors import NotAllowed

    with pytest.raises(NotAllowed):
        terms.add_contract(
            world.agente.user, world.acme, service=ServiceFactory.create(), valid_from=dt.date(2026, 1, 1)
        )
