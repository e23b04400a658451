import datetime

import pytest
from django.utils import timezone

from atiende.outbox.models import OutboundEmail
from atiende.tickets import actions
from atiende.tickets.exceptions import InvalidValue, NotAllowed
from atiende.tickets.models import CannedReply, Channel, StatusKind, TicketSeen
from tests.factories import open_ticket


def test_an_agent_records_time_and_the_history_says_so(world):
    ticket = open_ticket(world.luis, world.soporte)

    entry = actions.add_time_entry(world.agente.user, ticket, minutes=45, billable=False, note="Visita")

    assert (entry.minutes, entry.billable, entry.agent) == (45, False, world.agente.user)
    assert ticket.history.get(action="time").new_value == "45 min (no facturable)"


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1])
def test_impossible_minutes_are_refused(world, minutes):
    ticket = open_ticket(world.luis, world.soporte)

    with pytest.raises(InvalidValue):
        actions.add_time_entry(world.agente.user, ticket, minutes=minutes)


def test_time_cannot_be_recorded_for_tomorrow(world):
    ticket = open_ticket(world.luis, world.soporte)

    with pytest.raises(InvalidValue):
        actions.add_time_entry(
            world.agente.user, ticket, minutes=5, work_date=timezone.localdate() + datetime.timedelta(days=1)
        )


def test_time_can_be_recorded_after_closing(world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.close_ticket(world.agente.user, ticket)

    assert actions.add_time_entry(world.agente.user, ticket, minutes=30).minutes == 30


def test_contacts_and_other_queues_cannot_record_time(world):
    ticket = open_ticket(world.luis, world.soporte)

    for person in (world.luis, world.otro):
        with pytest.raises(NotAllowed):
            actions.add_time_entry(person.user, ticket, minutes=5)


def test_a_canned_reply_fills_its_placeholders(world):
    ticket = open_ticket(world.luis, world.soporte, subject="VPN")
    reply = CannedReply.objects.create(
        title="Saludo",
        body="Hola {requester_first_name}, sobre {ticket_number} ({subject}) de {company}: {unknown}. {agent_name}",
    )

    text = actions.render_canned_reply(reply, ticket, world.agente.user)

    assert text == f"Hola Luis, sobre #{ticket.number} (VPN) de Acme S.A.S.: {{unknown}}. Agente Soporte"


def test_seeing_a_ticket_is_remembered_per_person(world):
    ticket = open_ticket(world.luis, world.soporte)

    actions.mark_seen(world.agente.user, ticket)
    actions.mark_seen(world.agente.user, ticket)

    assert TicketSeen.objects.filter(user=world.agente.user, ticket=ticket).count() == 1


def test_seeing_an_unchanged_ticket_again_writes_nothing_and_news_is_seen_anew(
    world, django_assert_num_queries
):
    ticket = open_ticket(world.luis, world.soporte)
    actions.mark_seen(world.agente.user, ticket)
    first = TicketSeen.objects.get(user=world.agente.user, ticket=ticket).seen_at

    with django_assert_num_queries(1):  # the read that finds the mark current
        actions.mark_seen(world.agente.user, ticket)

    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Sigue sin funcionar")
    ticket.refresh_from_db()
    actions.mark_seen(world.agente.user, ticket)
    assert (
        TicketSeen.objects.get(user=world.agente.user, ticket=ticket).seen_at
        >= ticket.last_activity_at
        > first
    )


def test_an_engineers_reply_is_emailed_to_the_requester_and_can_set_the_stage(world):
    ticket = open_ticket(world.luis, world.soporte)
    waiting = actions.default_status(StatusKind.PENDING)

    message = actions.add_reply(
        world.agente.user,
        ticket,
        channel=Channel.WEB,
        text="¿Puede reiniciar el equipo?",
        then_status=waiting,
    )

    ticket.refresh_from_db()
    assert ticket.status == waiting
    email = OutboundEmail.objects.get(kind="ticket_reply")
    assert email.to == ["luis@acme.test"]
    assert "¿Puede reiniciar el equipo?" in email.body_text
    assert email.subject == f"Re: [#{ticket.number}] {ticket.subject}"
    assert message.kind == "public"


def test_stage_changes_are_emailed_according_to_the_requesters_preference(world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.change_status(world.agente.user, ticket, actions.default_status(StatusKind.OPEN))
    assert OutboundEmail.objects.filter(kind="ticket_status").count() == 1

    world.luis.notifications = "important"
    world.luis.save()
    actions.change_status(world.agente.user, ticket, actions.default_status(StatusKind.PENDING))
    assert OutboundEmail.objects.filter(kind="ticket_status").count() == 1
    actions.change_status(world.agente.user, ticket, actions.default_status(StatusKind.RESOLVED))
    assert OutboundEmail.objects.filter(kind="ticket_status").count() == 2
