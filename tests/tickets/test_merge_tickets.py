import pytest

from atiende.outbox.models import OutboundEmail
from atiende.tickets import actions, search
from atiende.tickets.exceptions import InvalidValue, NotAllowed, TicketClosed
from atiende.tickets.models import Channel, LinkKind, MessageKind, StatusKind, Ticket
from tests.factories import open_ticket


def test_merging_moves_messages_and_closes_the_duplicate_pointing_to_the_survivor(world):
    survivor = open_ticket(world.luis, world.soporte, subject="Sin internet")
    duplicate = open_ticket(world.ana, world.soporte, subject="Internet caído", text="Tampoco tengo red.")
    actions.add_time_entry(world.agente.user, duplicate, minutes=15)

    actions.merge_tickets(world.agente.user, duplicate, survivor)

    duplicate.refresh_from_db()
    survivor.refresh_from_db()
    assert duplicate.status.kind == StatusKind.CLOSED
    assert "Tampoco tengo red." in survivor.messages.values_list("body_text", flat=True)
    assert survivor.time_entries.get().minutes == 15
    assert duplicate.links_out.get().target == survivor
    assert duplicate.links_out.get().kind == LinkKind.DUPLICATE
    events = list(survivor.messages.filter(kind=MessageKind.EVENT).values_list("body_text", flat=True))
    assert events == [f"El ticket #{duplicate.number} (Internet caído) se fusionó en este."]
    assert duplicate.messages.get().body_text == f"Fusionado en el ticket #{survivor.number}."
    assert (
        duplicate.history.filter(action="merged").exists()
        and survivor.history.filter(action="merged").exists()
    )
    assert list(search.matching(Ticket.objects.all(), "tampoco")) == [survivor]


def test_both_requesters_are_told_where_it_continues(world):
    survivor = open_ticket(world.luis, world.soporte)
    duplicate = open_ticket(world.ana, world.soporte)

    actions.merge_tickets(world.agente.user, duplicate, survivor)

    told = sorted(email.to[0] for email in OutboundEmail.objects.filter(kind="ticket_merged"))
    assert told == ["ana@acme.test", "luis@acme.test"]


def test_tickets_of_different_companies_are_never_merged(world):
    with pytest.raises(InvalidValue):
        actions.merge_tickets(
            world.agente.user, open_ticket(world.carla, world.soporte), open_ticket(world.luis, world.soporte)
        )


def test_merging_needs_both_tickets_workable(world):
    in_my_queue = open_ticket(world.luis, world.soporte)
    elsewhere = open_ticket(world.ana, world.redes)

    with pytest.raises(NotAllowed):
        actions.merge_tickets(world.agente.user, elsewhere, in_my_queue)
    with pytest.raises(NotAllowed):
        actions.merge_tickets(world.luis.user, in_my_queue, elsewhere)


def test_a_closed_ticket_cannot_take_part_in_a_merge(world):
    survivor = open_ticket(world.luis, world.soporte)
    duplicate = open_ticket(world.luis, world.soporte)
    actions.close_ticket(world.agente.user, survivor)

    with pytest.raises(TicketClosed):
        actions.merge_tickets(world.agente.user, duplicate, survivor)


def test_a_ticket_cannot_merge_into_itself(world):
    ticket = open_ticket(world.luis, world.soporte)

    with pytest.raises(InvalidValue):
        actions.merge_tickets(world.agente.user, ticket, ticket)


def test_a_message_is_split_into_a_new_ticket_of_its_author(world):
    original = open_ticket(world.luis, world.soporte, subject="Impresora")
    other = actions.add_reply(
        world.ana.user, original, channel=Channel.EMAIL, text="Y además mi portátil no enciende"
    )

    new = actions.split_message(world.agente.user, other, subject="Portátil no enciende")

    assert (new.requester, new.organization, new.subject) == (world.ana, world.acme, "Portátil no enciende")
    assert new.messages.filter(kind=MessageKind.PUBLIC).get() == other
    assert not original.messages.filter(pk=other.pk).exists()
    assert new.links_out.get().target == original
    assert OutboundEmail.objects.filter(kind="ticket_opened", to=["ana@acme.test"]).exists()


def test_the_only_message_cannot_be_split_off(world):
    ticket = open_ticket(world.luis, world.soporte)

    with pytest.raises(InvalidValue):
        actions.split_message(world.agente.user, ticket.messages.get())


def test_notes_are_not_split(world):
    ticket = open_ticket(world.luis, world.soporte)
    note = actions.add_note(world.agente.user, ticket, text="interno")

    with pytest.raises(InvalidValue):
        actions.split_message(world.agente.user, note)


def test_the_survivor_reads_the_link_the_right_way_round(world):
    from atiende.tickets import queries

    survivor = open_ticket(world.luis, world.soporte)
    duplicate = open_ticket(world.luis, world.soporte)

    actions.merge_tickets(world.agente.user, duplicate, survivor)

    assert queries.links_for(world.agente.user, survivor) == [("tiene como duplicado a", duplicate)]
    assert queries.links_for(world.agente.user, duplicate) == [("es un duplicado de", survivor)]
    assert survivor.history.get(action="linked").new_value == f"tiene como duplicado a #{duplicate.number}"
