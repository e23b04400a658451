import pytest

from atiende.tickets import actions
from atiende.tickets.actions import default_status
from atiende.tickets.exceptions import InvalidValue, NotAllowed, TicketClosed
from atiende.tickets.models import Category, Priority, StatusKind, TicketType
from tests.factories import LocationFactory, open_ticket


def test_each_changed_field_is_written_to_the_history_with_who_and_what(world):
    ticket = open_ticket(world.luis, world.soporte)
    urgent = Priority.objects.get(level=1)
    question = TicketType.objects.get(name_es="Pregunta")
    category = Category.objects.create(name_es="Impresoras", name_en="Printers")

    changed = actions.change_ticket(
        world.agente.user, ticket, priority=urgent, type=question, category=category
    )

    assert changed == ["priority", "type", "category"]
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.type, ticket.category) == (urgent, question, category)
    rows = list(
        ticket.history.filter(action="changed").values_list("actor", "field", "old_value", "new_value")
    )
    assert rows == [
        (world.agente.user.pk, "priority", "Normal", "Urgente"),
        (world.agente.user.pk, "type", "Incidente", "Pregunta"),
        (world.agente.user.pk, "category", "", "Impresoras"),
    ]


def test_unchanged_values_write_nothing(world):
    ticket = open_ticket(world.luis, world.soporte)

    assert actions.change_ticket(world.agente.user, ticket, priority=ticket.priority) == []
    assert not ticket.history.filter(action="changed").exists()


def test_resolving_and_closing_stamp_their_times(world):
    ticket = open_ticket(world.luis, world.soporte)

    actions.change_status(world.agente.user, ticket, default_status(StatusKind.RESOLVED))
    ticket.refresh_from_db()
    assert ticket.resolved_at is not None and ticket.closed_at is None

    actions.change_status(world.agente.user, ticket, default_status(StatusKind.CLOSED))
    ticket.refresh_from_db()
    assert ticket.closed_at is not None


def test_a_closed_ticket_cannot_be_changed_or_reopened(world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.close_ticket(world.agente.user, ticket)

    with pytest.raises(TicketClosed):
        actions.change_status(world.admin.user, ticket, default_status(StatusKind.OPEN))


@pytest.mark.parametrize("who", ["luis", "ana", "otro"])
def test_contacts_and_agents_outside_the_queue_cannot_change_fields(world, who):
    ticket = open_ticket(world.luis, world.soporte)

    with pytest.raises(NotAllowed):
        actions.change_ticket(getattr(world, who).user, ticket, priority=Priority.objects.get(level=1))


def test_an_agent_assigns_to_a_colleague_of_the_queue_and_takes_tickets(world):
    ticket = open_ticket(world.luis, world.soporte)

    actions.take_ticket(world.agente.user, ticket)
    ticket.refresh_from_db()
    assert ticket.assignee == world.agente

    actions.assign_ticket(world.agente.user, ticket, world.supervisor)
    ticket.refresh_from_db()
    assert ticket.assignee == world.supervisor
    assert list(ticket.history.filter(field="assignee").values_list("new_value", flat=True)) == [
        "Agente Soporte",
        "Supervisora",
    ]


def test_an_agent_outside_the_queue_cannot_be_assigned(world):
    ticket = open_ticket(world.luis, world.soporte)

    with pytest.raises(InvalidValue) as refused:
        actions.assign_ticket(world.agente.user, ticket, world.otro)

    assert refused.value.field == "assignee"


def test_moving_to_another_queue_returns_the_ticket_to_the_pool_when_the_assignee_is_not_there(world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.take_ticket(world.agente.user, ticket)

    changed = actions.change_ticket(world.agente.user, ticket, queue=world.redes)

    ticket.refresh_from_db()
    assert (ticket.queue, ticket.assignee) == (world.redes, None)
    assert set(changed) == {"queue", "assignee"}


def test_a_site_of_another_company_is_refused(world):
    ticket = open_ticket(world.luis, world.soporte)

    with pytest.raises(InvalidValue):
        actions.change_ticket(world.agente.user, ticket, location=world.globex.locations.get())


def test_a_site_of_the_company_is_accepted(world):
    ticket = open_ticket(world.luis, world.soporte)
    site = LocationFactory.create(organization=world.acme)

    assert actions.change_ticket(world.agente.user, ticket, location=site) == ["location"]


def test_tags_are_normalised_and_their_change_recorded(world):
    ticket = open_ticket(world.luis, world.soporte)

    actions.change_ticket(world.agente.user, ticket, tags=["VPN", " vpn ", "Piso 2"])

    assert sorted(ticket.tags.values_list("name", flat=True)) == ["piso 2", "vpn"]
    assert ticket.history.get(field="tags").new_value == "piso 2, vpn"
