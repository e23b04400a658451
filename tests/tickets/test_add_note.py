import pytest

from atiende.tickets import actions
from atiende.tickets.exceptions import NotAllowed, TicketClosed
from atiende.tickets.models import MessageKind
from tests.factories import open_ticket


def test_an_agent_of_the_queue_adds_an_internal_note(world):
    ticket = open_ticket(world.luis, world.soporte)

    note = actions.add_note(world.agente.user, ticket, text="Revisar el driver de la impresora.")

    assert note.kind == MessageKind.NOTE
    assert note.author == world.agente.user


def test_a_supervisor_adds_notes_on_any_queue(world):
    ticket = open_ticket(world.carla, world.redes)

    assert (
        actions.add_note(world.supervisor.user, ticket, text="Escalar a proveedor.").kind == MessageKind.NOTE
    )


@pytest.mark.parametrize("who", ["luis", "ana", "otro"])
def test_contacts_and_agents_outside_the_queue_cannot_add_notes(world, who):
    ticket = open_ticket(world.luis, world.soporte)

    with pytest.raises(NotAllowed):
        actions.add_note(getattr(world, who).user, ticket, text="nota")


def test_it_refuses_a_note_on_a_closed_ticket(world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.close_ticket(world.agente.user, ticket)

    with pytest.raises(TicketClosed):
        actions.add_note(world.agente.user, ticket, text="nota")
