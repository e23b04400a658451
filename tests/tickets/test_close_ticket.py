import pytest

from atiende.tickets import actions
from atiende.tickets.exceptions import NotAllowed, TicketClosed
from atiende.tickets.models import StatusKind
from tests.factories import open_ticket


def test_the_requester_closes_their_own_ticket(world):
    ticket = open_ticket(world.luis, world.soporte)

    actions.close_ticket(world.luis.user, ticket)

    ticket.refresh_from_db()
    assert ticket.status.kind == StatusKind.CLOSED
    assert ticket.closed_at is not None
    assert ticket.history.get(field="status").new_value == "Cerrado"


def test_a_colleague_with_company_view_cannot_close_someone_elses_ticket(world):
    ticket = open_ticket(world.luis, world.soporte)

    with pytest.raises(NotAllowed):
        actions.close_ticket(world.ana.user, ticket)


def test_closing_twice_is_refused(world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.close_ticket(world.agente.user, ticket)

    with pytest.raises(TicketClosed):
        actions.close_ticket(world.agente.user, ticket)
