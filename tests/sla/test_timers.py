"""The clocks as the ticket actions move them: start at open, first response met by an
engineer's public reply, pause while waiting on the customer, resolution on resolve."""

from datetime import datetime
from datetime import time as dt_time

from atiende.sla.models import TicketSla
from atiende.sla.state import SlaState, TargetStatus, TicketStatus, status_of
from atiende.sla.timers import replay
from atiende.tickets import actions
from atiende.tickets.models import Channel, StatusKind
from tests.factories import open_ticket
from tests.sla.conftest import bogota


def sla_of(ticket) -> TicketSla:
    return TicketSla.objects.get(ticket=ticket)


def first_response(status: TicketStatus) -> TargetStatus:
    assert status.first_response is not None
    return status.first_response


def resolution(status: TicketStatus) -> TargetStatus:
    assert status.resolution is not None
    return status.resolution


def test_opening_a_ticket_starts_both_clocks_in_business_time(world, policy, colombia, clock):
    ticket = open_ticket(world.luis, world.soporte)
    sla = sla_of(ticket)
    assert sla.policy == policy
    assert sla.calendar == colombia
    assert sla.first_response_due_at == bogota(2025, 11, 19, 10, 0)
    assert sla.first_response_warn_at == bogota(2025, 11, 19, 9, 48)
    # 8 business hours from 09:00 Wednesday: 3 h to noon, 4 h afternoon, 1 h Thursday.
    assert sla.resolution_due_at == bogota(2025, 11, 20, 9, 0)
    assert sla.next_due_at == sla.first_response_due_at


def test_a_ticket_no_policy_covers_has_no_clocks(world, colombia, clock):
    ticket = open_ticket(world.luis, world.soporte)
    assert not TicketSla.objects.filter(ticket=ticket).exists()


def test_an_engineers_public_reply_meets_the_first_response(world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 9, 40))
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Vamos a revisarlo.")
    sla = sla_of(ticket)
    assert sla.first_response_met_at == bogota(2025, 11, 19, 9, 40)
    assert sla.first_response_elapsed == 40
    assert sla.next_due_at == sla.resolution_due_at
    assert first_response(status_of(sla)).state == SlaState.ON_TIME


def test_an_internal_note_does_not_meet_the_first_response(world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 9, 30))
    actions.add_note(world.agente.user, ticket, text="Revisar el cable.")
    assert sla_of(ticket).first_response_met_at is None


def test_the_customers_own_reply_does_not_meet_the_first_response(world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 9, 30))
    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="¿Alguna novedad?")
    assert sla_of(ticket).first_response_met_at is None


def test_a_late_first_response_is_breached(world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 14, 0))  # 3 h of work later (lunch does not count)
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Disculpe la demora.")
    sla = sla_of(ticket)
    assert sla.first_response_elapsed == 240
    assert first_response(status_of(sla)).state == SlaState.BREACHED


def test_the_clock_pauses_while_waiting_on_the_customer_and_resumes_when_they_answer(world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 10, 0))
    actions.add_reply(
        world.agente.user,
        ticket,
        channel=Channel.WEB,
        text="¿Nos envía una foto del error?",
        then_status=actions.default_status(StatusKind.PENDING),
    )
    sla = sla_of(ticket)
    assert sla.paused_since == bogota(2025, 11, 19, 10, 0)
    # While paused, nothing moves, however late it gets.
    clock.move_to(bogota(2025, 11, 21, 16, 0))
    paused = status_of(sla_of(ticket))
    assert paused.paused
    assert resolution(paused).state == SlaState.ON_TIME
    assert resolution(paused).minutes_left == 7 * 60
    # The customer answers on Friday at 16:00: 7 business hours were left.
    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Aquí está la foto.")
    sla = sla_of(ticket)
    ticket.refresh_from_db()
    assert ticket.status.kind == StatusKind.OPEN
    assert sla.paused_since is None
    # Friday 16–17 (1 h), the weekend, Monday 8–12 and 13–15 (6 h).
    assert sla.resolution_due_at == bogota(2025, 11, 24, 15, 0)


def test_resolving_meets_the_resolution_in_business_time_without_the_pauses(world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    pending, resolved = (
        actions.default_status(StatusKind.PENDING),
        actions.default_status(StatusKind.RESOLVED),
    )
    clock.move_to(bogota(2025, 11, 19, 10, 0))
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="¿Foto?", then_status=pending)
    clock.move_to(bogota(2025, 11, 20, 10, 0))
    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Foto.")
    clock.move_to(bogota(2025, 11, 20, 11, 30))
    actions.change_status(world.agente.user, ticket, resolved)
    sla = sla_of(ticket)
    assert sla.resolution_met_at == bogota(2025, 11, 20, 11, 30)
    assert sla.resolution_elapsed == 60 + 90  # 9–10 Wednesday, 10–11:30 Thursday
    assert resolution(status_of(sla)).state == SlaState.ON_TIME
    assert sla.next_due_at is None


def test_a_reopened_ticket_resumes_its_resolution_clock(world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 10, 0))
    actions.add_reply(
        world.agente.user,
        ticket,
        channel=Channel.WEB,
        text="Listo.",
        then_status=actions.default_status(StatusKind.RESOLVED),
    )
    assert sla_of(ticket).resolution_elapsed == 60
    clock.move_to(bogota(2025, 11, 24, 9, 0))
    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Volvió a fallar.")
    sla = sla_of(ticket)
    assert sla.resolution_met_at is None
    # 7 business hours were left: Monday 24, 9–12 and 13–17.
    assert sla.resolution_due_at == bogota(2025, 11, 24, 17, 0)
    assert sla.first_response_met_at == bogota(2025, 11, 19, 10, 0)


def test_closing_stops_every_clock(world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 9, 30))
    actions.close_ticket(world.luis.user, ticket)
    sla = sla_of(ticket)
    assert sla.first_response_met_at == sla.resolution_met_at == bogota(2025, 11, 19, 9, 30)
    assert sla.next_due_at is None


def test_states_go_from_on_time_to_at_risk_to_breached(world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    sla = sla_of(ticket)
    assert first_response(status_of(sla, bogota(2025, 11, 19, 9, 47))).state == SlaState.ON_TIME
    at_risk = first_response(status_of(sla, bogota(2025, 11, 19, 9, 48)))
    assert at_risk.state == SlaState.AT_RISK
    assert at_risk.minutes_left == 12
    breached = first_response(status_of(sla, bogota(2025, 11, 19, 13, 30)))
    assert breached.state == SlaState.BREACHED
    assert breached.minutes_left == -150
    assert breached.time_left == "vencido hace 2 h 30 min"


def test_replay_rebuilds_the_clocks_from_the_recorded_history(world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 9, 20))
    actions.add_reply(
        world.agente.user,
        ticket,
        channel=Channel.WEB,
        text="¿Foto?",
        then_status=actions.default_status(StatusKind.PENDING),
    )
    clock.move_to(bogota(2025, 11, 19, 15, 0))
    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Foto.")
    before = TicketSla.objects.filter(ticket=ticket).values().get()
    rebuilt = replay(ticket)
    assert rebuilt is not None
    assert TicketSla.objects.filter(ticket=ticket).values().get() == before


def test_a_ticket_split_off_gets_its_own_clocks(world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    message = actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Otra cosa: el correo.")
    clock.move_to(bogota(2025, 11, 19, 9, 10))
    new = actions.split_message(world.agente.user, message)
    assert sla_of(new).first_response_due_at == bogota(2025, 11, 19, 10, 10)


def test_paused_clocks_cross_nothing_while_paused(world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 9, 30))
    actions.change_status(world.agente.user, ticket, actions.default_status(StatusKind.PENDING))
    later = status_of(sla_of(ticket), bogota(2025, 11, 26, 9, 0))
    assert later.state == SlaState.ON_TIME
    assert first_response(later).minutes_left == 30
    assert first_response(later).due_at == bogota(2025, 11, 19, 10, 0)


def test_a_mexico_city_clock_resumes_after_the_weekend_and_revolution_day(world, policy, clock):
    from atiende.sla.models import Calendar
    from tests.sla.conftest import MEXICO, make_calendar

    mexico = make_calendar("México", "America/Mexico_City", "MX", [(dt_time(9), dt_time(18))])
    Calendar.objects.get(name="Colombia").queues.remove(world.soporte)
    mexico.queues.add(world.soporte)
    clock.move_to(datetime(2025, 11, 14, 9, 0, tzinfo=MEXICO))  # a Friday, 09:00 in Mexico City
    ticket = open_ticket(world.luis, world.soporte)
    clock.move_to(datetime(2025, 11, 14, 15, 0, tzinfo=MEXICO))
    actions.add_reply(
        world.agente.user,
        ticket,
        channel=Channel.WEB,
        text="¿Nos confirma el número de serie?",
        then_status=actions.default_status(StatusKind.PENDING),
    )
    # The customer answers on Sunday; Monday 17 is Revolution Day: the 2 hours left of the
    # 8-hour resolution run on Tuesday from 09:00.
    clock.move_to(datetime(2025, 11, 16, 11, 0, tzinfo=MEXICO))
    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="ABC123")
    sla = sla_of(ticket)
    assert sla.first_response_elapsed == 6 * 60
    assert sla.resolution_due_at == datetime(2025, 11, 18, 11, 0, tzinfo=MEXICO)
