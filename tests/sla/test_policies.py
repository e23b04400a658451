"""Which policy and which calendar a ticket gets when it opens."""

import datetime as dt

from atiende.sla.models import Calendar, SlaPolicy, TicketSla
from atiende.tickets.models import Contract, Priority, Service
from tests.factories import open_ticket
from tests.sla.conftest import MEXICO, bogota, make_calendar


def _contract(world, service_name="Mesa de ayuda") -> Contract:
    service = Service.objects.create(name=service_name)
    return Contract.objects.create(organization=world.acme, service=service, valid_from=dt.date(2025, 1, 1))


def test_the_most_specific_policy_wins(world, policy, clock):
    contract = _contract(world)
    urgent = Priority.objects.get(level=1)
    by_priority = SlaPolicy.objects.create(name="Urgente", priority=urgent, first_response_minutes=15)
    by_service = SlaPolicy.objects.create(
        name="Servicio", service=contract.service, first_response_minutes=30
    )
    by_contract = SlaPolicy.objects.create(name="Contrato", contract=contract, first_response_minutes=20)
    both = SlaPolicy.objects.create(
        name="Contrato urgente", contract=contract, priority=urgent, first_response_minutes=10
    )
    SlaPolicy.objects.create(name="Inactiva", contract=contract, priority=urgent, is_active=False)

    def chosen(**values):
        return TicketSla.objects.get(ticket=open_ticket(world.luis, world.soporte, **values)).policy

    assert chosen() == policy
    assert chosen(priority=urgent) == by_priority
    assert chosen(contract=contract) == by_contract
    assert chosen(contract=contract, priority=urgent) == both
    other = _contract(world, "Redes gestionadas")
    assert chosen(contract=other) == policy
    by_contract.delete()
    assert chosen(contract=contract) == by_service


def test_a_contracts_calendar_wins_over_the_queues(world, policy, clock):
    contract = _contract(world)
    mexico = make_calendar("México", "America/Mexico_City", "MX", [(dt.time(9), dt.time(18))])
    mexico.contracts.add(contract)
    with_contract = open_ticket(world.luis, world.soporte, contract=contract)
    without = open_ticket(world.luis, world.soporte)
    sla = TicketSla.objects.get(ticket=with_contract)
    assert sla.calendar == mexico
    # 09:00 in Bogotá is 08:00 in Mexico City: the hour starts counting at 09:00 there.
    assert sla.first_response_due_at == dt.datetime(2025, 11, 19, 10, 0, tzinfo=MEXICO)
    assert TicketSla.objects.get(ticket=without).calendar == Calendar.objects.get(name="Colombia")


def test_the_default_calendar_applies_when_the_queue_has_none(world, policy, clock):
    make_calendar("Por defecto", "America/Bogota", "", [(dt.time(10), dt.time(11))], is_default=True)
    sla = TicketSla.objects.get(ticket=open_ticket(world.luis, world.redes))
    assert sla.calendar == Calendar.objects.get(name="Por defecto")
    assert sla.first_response_due_at == bogota(2025, 11, 19, 11, 0)


def test_with_no_calendar_at_all_the_clock_runs_around_the_clock(world, clock):
    SlaPolicy.objects.create(name="24x7", resolution_minutes=24 * 60)
    sla = TicketSla.objects.get(ticket=open_ticket(world.luis, world.redes))
    assert sla.calendar is None
    assert sla.resolution_due_at == bogota(2025, 11, 20, 9, 0)
    assert sla.first_response_due_at is None


def test_editing_a_calendars_hours_applies_to_tickets_opened_afterwards(world, policy, colombia, clock):
    first = TicketSla.objects.get(ticket=open_ticket(world.luis, world.soporte))
    hours = colombia.hours.get(weekday=2, starts=dt.time(8))
    hours.starts = dt.time(9, 30)
    hours.save()
    second = TicketSla.objects.get(ticket=open_ticket(world.luis, world.soporte))
    assert first.first_response_due_at == bogota(2025, 11, 19, 10, 0)
    assert second.first_response_due_at == bogota(2025, 11, 19, 10, 30)


def test_a_policy_changed_after_tickets_were_opened_applies_to_the_next_one_at_once(world, policy, clock):
    """The active policies are kept per process: any change is read again at once."""
    first = open_ticket(world.luis, world.soporte)
    assert TicketSla.objects.get(ticket=first).first_response_minutes == 60

    policy.first_response_minutes = 30
    policy.save()
    assert TicketSla.objects.get(ticket=open_ticket(world.luis, world.soporte)).first_response_minutes == 30

    policy.is_active = False
    policy.save()
    assert not TicketSla.objects.filter(ticket=open_ticket(world.luis, world.soporte)).exists()

    SlaPolicy.objects.create(name="Nueva", first_response_minutes=45)
    assert TicketSla.objects.get(ticket=open_ticket(world.luis, world.soporte)).first_response_minutes == 45


def test_a_calendar_is_built_once_per_process_until_it_is_edited(world, colombia, django_assert_num_queries):
    first = colombia.business()
    again = Calendar.objects.get(pk=colombia.pk)  # as the next request reads the row
    with django_assert_num_queries(0):
        assert again.business() is first

    hours = colombia.hours.get(weekday=2, starts=dt.time(8))
    hours.starts = dt.time(9, 30)
    hours.save()  # touches the calendar
    colombia.refresh_from_db()
    edited = colombia.business()

    assert edited is not first
    assert edited.weekly[2][0] == (dt.time(9, 30), dt.time(12))
