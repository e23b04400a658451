import pytest

from atiende.tickets import actions
from atiende.tickets.exceptions import InvalidValue, NotAllowed
from atiende.tickets.models import LinkKind
from tests.factories import open_ticket


def test_an_agent_links_two_tickets_and_both_histories_say_so(world):
    first = open_ticket(world.luis, world.soporte)
    second = open_ticket(world.carla, world.soporte)

    link = actions.link_tickets(world.agente.user, first, second)

    assert (link.source, link.target, link.kind) == (first, second, LinkKind.RELATED)
    assert first.history.get(action="linked").new_value == f"está relacionado con #{second.number}"
    assert second.history.get(action="linked").new_value == f"está relacionado con #{first.number}"


def test_linking_twice_keeps_one_link(world):
    first = open_ticket(world.luis, world.soporte)
    second = open_ticket(world.luis, world.soporte)

    actions.link_tickets(world.agente.user, first, second)
    actions.link_tickets(world.agente.user, first, second)

    assert first.links_out.count() == 1


def test_a_closed_ticket_can_still_be_linked(world):
    first = open_ticket(world.luis, world.soporte)
    actions.close_ticket(world.agente.user, first)
    second = open_ticket(world.luis, world.soporte)

    assert actions.link_tickets(world.luis.user, second, first, kind=LinkKind.CONTINUES)


def test_a_ticket_cannot_be_linked_to_itself(world):
    ticket = open_ticket(world.luis, world.soporte)

    with pytest.raises(InvalidValue):
        actions.link_tickets(world.agente.user, ticket, ticket)


def test_a_contact_cannot_link_to_a_ticket_they_cannot_see(world):
    own = open_ticket(world.luis, world.soporte)
    foreign = open_ticket(world.carla, world.soporte)

    with pytest.raises(NotAllowed):
        actions.link_tickets(world.luis.user, own, foreign)


def test_links_show_each_reader_only_the_linked_tickets_they_may_see(world):
    from atiende.tickets.queries import links_for

    mine = open_ticket(world.luis, world.soporte)
    theirs = open_ticket(world.carla, world.soporte)
    earlier = open_ticket(world.luis, world.soporte)
    actions.link_tickets(world.agente.user, mine, theirs)
    actions.link_tickets(world.agente.user, earlier, mine, kind=LinkKind.DUPLICATE)

    assert [other for _kind, other in links_for(world.luis.user, mine)] == [earlier]
    assert [other for _kind, other in links_for(world.carla.user, theirs)] == []
    assert [other for _kind, other in links_for(world.agente.user, mine)] == [theirs, earlier]
    assert links_for(world.agente.user, open_ticket(world.luis, world.soporte)) == []
