"""The sweep: warnings and breaches fire exactly once, to the right people, and run the
policy's escalation, each change written to the ticket's history."""

from django.conf import settings
from django.utils import translation

from atiende.accounts.models import AgentRole
from atiende.outbox.models import OutboundEmail
from atiende.sla.models import EscalateOn, NoticeKind, SlaNotice, Target
from atiende.sla.state import SlaState
from atiende.sla.sweep import SweepResult, sweep
from atiende.tickets import actions
from atiende.tickets.models import Channel, HistoryEvent, Priority, StatusKind
from tests.factories import make_agent, open_ticket
from tests.sla.conftest import bogota


def sla_emails():
    return OutboundEmail.objects.filter(kind__startswith="sla_")


def test_nothing_happens_before_the_warning_share(world, policy, clock):
    open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 9, 47))
    assert sweep() == SweepResult()
    assert not sla_emails().exists()


def test_a_warning_fires_once_to_the_assignee_and_the_queues_supervisors(world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    actions.assign_ticket(world.agente.user, ticket, world.agente)
    # An agent of the queue who is not a supervisor, and a supervisor of another queue.
    world.soporte.agents.add(make_agent("colega@atiende.test"))
    world.redes.agents.add(make_agent("jefa-redes@atiende.test", role=AgentRole.SUPERVISOR))
    clock.move_to(bogota(2025, 11, 19, 9, 48))

    result = sweep()

    assert result == SweepResult(warnings=1, emails=2)
    emails = sla_emails()
    assert sorted(email.to[0] for email in emails) == ["agente@atiende.test", "supervisor@atiende.test"]
    assert {email.kind for email in emails} == {"sla_warning"}
    subject = emails.first().subject
    assert f"[#{ticket.number}]" in subject
    with translation.override("es"):
        assert str(Target.FIRST_RESPONSE.label) in subject
    assert SlaNotice.objects.filter(
        ticket=ticket, target=Target.FIRST_RESPONSE, kind=NoticeKind.WARNING
    ).exists()
    # Again, and again later: nothing more for the same warning.
    assert sweep() == SweepResult()
    clock.move_to(bogota(2025, 11, 19, 9, 55))
    assert sweep() == SweepResult()
    assert sla_emails().count() == 2


def test_a_breach_fires_once_and_is_written_to_the_history(world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 9, 50))
    assert sweep().warnings == 1
    clock.move_to(bogota(2025, 11, 19, 10, 0))
    assert sweep() == SweepResult(breaches=1, emails=1)
    assert sweep() == SweepResult()
    assert list(sla_emails().order_by("id").values_list("kind", flat=True)) == ["sla_warning", "sla_breach"]
    crossings = HistoryEvent.objects.filter(ticket=ticket, action="sla").order_by("id")
    with translation.override(settings.LANGUAGE_CODE):
        first_response = Target.FIRST_RESPONSE.label
        expected = [
            f"{first_response}: {SlaState.AT_RISK.label}",
            f"{first_response}: {SlaState.BREACHED.label}",
        ]
    assert [event.new_value for event in crossings] == expected
    assert all(event.actor is None and event.channel == "system" for event in crossings)


def test_a_sweep_that_runs_late_sends_the_breach_without_the_stale_warning(world, policy, clock):
    open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 11, 0))
    assert sweep() == SweepResult(breaches=1, emails=1)
    assert sweep() == SweepResult()


def test_a_met_target_never_warns(world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 9, 30))
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Hola.")
    clock.move_to(bogota(2025, 11, 19, 10, 30))
    assert sweep() == SweepResult()


def test_a_ticket_waiting_on_the_customer_does_not_breach(world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 9, 30))
    actions.change_status(world.agente.user, ticket, actions.default_status(StatusKind.PENDING))
    clock.move_to(bogota(2025, 11, 21, 16, 0))
    assert sweep() == SweepResult()
    # The customer answers: the 30 minutes left run from now (Friday 16:00).
    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Listo, ya respondí.")
    clock.move_to(bogota(2025, 11, 21, 16, 24))
    assert sweep() == SweepResult(warnings=1, emails=1)
    clock.move_to(bogota(2025, 11, 21, 16, 30))
    assert sweep() == SweepResult(breaches=1, emails=1)


def test_breach_escalation_raises_priority_moves_queue_and_assigns_a_supervisor(world, policy, clock):
    boss = make_agent(
        "jefa-redes@atiende.test", world.redes, role=AgentRole.SUPERVISOR, full_name="Jefa Redes"
    )
    policy.escalate_on = EscalateOn.BREACH
    policy.escalate_raise_priority = True
    policy.escalate_to_queue = world.redes
    policy.escalate_to_supervisor = True
    policy.save()
    ticket = open_ticket(world.luis, world.soporte)
    actions.assign_ticket(world.agente.user, ticket, world.agente)
    clock.move_to(bogota(2025, 11, 19, 9, 50))
    sweep()
    ticket.refresh_from_db()
    assert ticket.priority.level == 3  # the warning does not escalate
    clock.move_to(bogota(2025, 11, 19, 10, 1))

    result = sweep()

    assert result.escalations == 1
    ticket.refresh_from_db()
    assert ticket.priority == Priority.objects.get(level=2)
    assert ticket.queue == world.redes
    assert ticket.assignee == boss
    changes = HistoryEvent.objects.filter(ticket=ticket, action="changed", actor=None).order_by("id")
    assert [(event.field, event.old_value, event.new_value) for event in changes] == [
        ("priority", "Normal", "Alta"),
        ("queue", "Soporte", "Redes"),
        ("assignee", "Agente Soporte", ""),
        ("assignee", "", "Jefa Redes"),
    ]
    assert all(event.channel == "system" for event in changes)
    # The breach notice went to the people responsible before the move.
    breach = sla_emails().filter(kind="sla_breach")
    assert sorted(email.to[0] for email in breach) == ["agente@atiende.test", "supervisor@atiende.test"]
    # The resolution breach escalates once more, later; the first-response one never again.
    assert sweep() == SweepResult()


def test_warning_escalation_runs_at_the_warning(world, policy, clock):
    policy.escalate_on = EscalateOn.WARNING
    policy.escalate_raise_priority = True
    policy.save()
    ticket = open_ticket(world.luis, world.soporte, priority=Priority.objects.get(level=2))
    clock.move_to(bogota(2025, 11, 19, 9, 48))
    assert sweep().escalations == 1
    ticket.refresh_from_db()
    assert ticket.priority.level == 1
    clock.move_to(bogota(2025, 11, 19, 9, 49))
    assert sweep() == SweepResult()


def test_the_most_urgent_priority_cannot_be_raised(world, policy, clock):
    policy.escalate_raise_priority = True
    policy.save()
    ticket = open_ticket(world.luis, world.soporte, priority=Priority.objects.get(level=1))
    clock.move_to(bogota(2025, 11, 19, 10, 0))
    assert sweep() == SweepResult(breaches=1, emails=1, escalations=0)
    assert not HistoryEvent.objects.filter(ticket=ticket, field="priority").exists()


def test_the_notice_is_in_the_recipients_language_and_time_zone(world, policy, clock):
    user = world.supervisor.user
    user.language, user.time_zone = "en", "America/Mexico_City"
    user.save()
    open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 9, 48))
    sweep()
    email = sla_emails().get()
    assert "At risk: First response" in email.subject
    # Due 10:00 in Bogotá is 09:00 in Mexico City.
    assert "Nov. 19, 2025, 9 a.m." in email.body_text
    assert "12 min left" in email.body_text
