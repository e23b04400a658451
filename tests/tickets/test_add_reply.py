import pytest

from atiende.tickets import actions
from atiende.tickets.actions import default_status
from atiende.tickets.attachments import Upload
from atiende.tickets.exceptions import InvalidValue, NotAllowed, TicketClosed
from atiende.tickets.models import Channel, MessageKind, StatusKind
from tests.factories import open_ticket


def test_the_requester_replies_on_the_thread(world):
    ticket = open_ticket(world.luis, world.soporte)

    message = actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Sigue sin imprimir.")

    assert message.kind == MessageKind.PUBLIC
    assert list(ticket.messages.values_list("body_text", flat=True))[-1] == "Sigue sin imprimir."
    ticket.refresh_from_db()
    assert ticket.last_activity_at == message.created_at


def test_an_engineers_first_reply_sets_the_first_response_once(world):
    ticket = open_ticket(world.luis, world.soporte)

    first = actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Lo revisamos.")
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Ya quedó.")

    ticket.refresh_from_db()
    assert ticket.first_response_at == first.created_at


def test_a_customer_reply_does_not_count_as_first_response(world):
    ticket = open_ticket(world.luis, world.soporte)

    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="¿Alguna novedad?")

    ticket.refresh_from_db()
    assert ticket.first_response_at is None


@pytest.mark.parametrize("kind", [StatusKind.PENDING, StatusKind.RESOLVED])
def test_a_customer_reply_puts_a_waiting_or_resolved_ticket_back_in_progress(world, kind):
    ticket = open_ticket(world.luis, world.soporte)
    actions.change_status(world.agente.user, ticket, default_status(kind))

    actions.add_reply(world.luis.user, ticket, channel=Channel.EMAIL, text="Aún falla.")

    ticket.refresh_from_db()
    assert ticket.status.kind == StatusKind.OPEN
    assert ticket.resolved_at is None
    change = ticket.history.filter(field="status").last()
    assert change is not None
    assert (change.actor, change.new_value) == (world.luis.user, "En proceso")


def test_a_company_wide_contact_may_reply_on_a_colleagues_ticket(world):
    ticket = open_ticket(world.luis, world.soporte)

    actions.add_reply(world.ana.user, ticket, channel=Channel.WEB, text="Le ayudo con esto.")

    assert ticket.messages.count() == 2


@pytest.mark.parametrize("who", ["carla", "otro"])
def test_people_who_cannot_see_the_ticket_cannot_reply(world, who):
    ticket = open_ticket(world.luis, world.soporte)
    person = getattr(world, who)

    with pytest.raises(NotAllowed):
        actions.add_reply(person.user, ticket, channel=Channel.WEB, text="Hola")


def test_a_contact_without_company_view_cannot_reply_on_a_colleagues_ticket(world):
    ticket = open_ticket(world.ana, world.soporte)

    with pytest.raises(NotAllowed):
        actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Hola")


def test_it_refuses_a_reply_to_a_closed_ticket_and_names_the_way_forward(world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.close_ticket(world.agente.user, ticket)

    with pytest.raises(TicketClosed) as refused:
        actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Vuelve a fallar")

    assert f"#{ticket.number}" in refused.value.message
    assert "nuevo ticket" in refused.value.message
    assert ticket.messages.count() == 1


def test_an_empty_reply_is_refused(world):
    ticket = open_ticket(world.luis, world.soporte)

    with pytest.raises(InvalidValue):
        actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="   ")


def test_a_reply_may_be_just_a_file(world):
    ticket = open_ticket(world.luis, world.soporte)

    message = actions.add_reply(
        world.luis.user, ticket, channel=Channel.WEB, attachments=[Upload("foto.jpg", b"\xff\xd8\xff")]
    )

    assert message.attachments.get().filename == "foto.jpg"


def test_html_is_sanitized_and_a_plain_text_version_kept(world):
    ticket = open_ticket(world.luis, world.soporte)

    message = actions.add_reply(
        world.luis.user,
        ticket,
        channel=Channel.EMAIL,
        html='<p onclick="x()">Hola<script>alert(1)</script></p><p><a href="javascript:x()">enlace</a></p>',
    )

    assert "script" not in message.body_html
    assert "onclick" not in message.body_html
    assert "javascript" not in message.body_html
    assert message.body_text == "Hola\nenlace"
