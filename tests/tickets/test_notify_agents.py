"""Agents hear of new tickets in their queues, tickets assigned to them and customer
replies, never of what they did themselves."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from atiende.accounts.models import Agent
from atiende.outbox.models import OutboundEmail
from atiende.outbox.outbox import render_queued
from atiende.tickets import actions, notify
from atiende.tickets.models import Channel, Message
from tests.factories import make_agent, open_ticket


def in_english(*agents: Agent) -> None:
    for agent in agents:
        agent.user.language = "en"
        agent.user.save()


def kinds_to(address: str) -> list[str]:
    return list(OutboundEmail.objects.filter(to=[address]).order_by("pk").values_list("kind", flat=True))


@pytest.fixture
def colega(world):
    """A second agent of the Soporte queue."""
    return make_agent("colega@atiende.test", world.soporte, full_name="Colega Soporte")


def test_a_new_ticket_is_announced_to_the_queues_agents_only(
    world, colega, django_capture_on_commit_callbacks
):
    in_english(world.agente)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(world.luis, world.soporte, subject="Sin correo")

    assert kinds_to("agente@atiende.test") == kinds_to("colega@atiende.test") == ["agent_new_ticket"]
    assert kinds_to("otro@atiende.test") == kinds_to("supervisor@atiende.test") == []
    (sent,) = [each for each in mail.outbox if each.to == ["agente@atiende.test"]]
    assert sent.subject == f"[#{ticket.number}] Sin correo"
    assert f"New ticket #{ticket.number} in the queue Soporte." in sent.body
    assert f"/desk/tickets/{ticket.number}/" in sent.body
    assert "Luis Acme <luis@acme.test>" in sent.body
    assert "Desde esta mañana la impresora" in sent.body


def test_the_agent_who_registers_a_ticket_is_not_told_of_it(world, colega):
    open_ticket(world.luis, world.soporte, actor=world.agente.user, channel=Channel.PHONE)

    assert kinds_to("agente@atiende.test") == []
    assert kinds_to("colega@atiende.test") == ["agent_new_ticket"]


def test_agent_notices_speak_the_agents_language(world, colega, django_capture_on_commit_callbacks):
    in_english(world.agente)

    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)

    (english,) = [each for each in mail.outbox if each.to == ["agente@atiende.test"]]
    (spanish,) = [each for each in mail.outbox if each.to == ["colega@atiende.test"]]
    assert "Subject: La impresora no imprime" in english.body
    assert "Asunto: La impresora no imprime" in spanish.body


def test_agents_who_turned_email_off_get_none(world, colega):
    world.agente.email_notifications = False
    world.agente.save()
    ticket = open_ticket(world.luis, world.soporte)
    actions.assign_ticket(world.supervisor.user, ticket, world.agente)
    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="¿Novedades?")

    assert kinds_to("agente@atiende.test") == []
    assert kinds_to("colega@atiende.test") == ["agent_new_ticket"]


def test_the_assignee_is_told_unless_they_took_it(world, colega, django_capture_on_commit_callbacks):
    in_english(world.agente)
    ticket = open_ticket(world.luis, world.soporte)
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_ticket(world.supervisor.user, ticket, world.agente)
    actions.take_ticket(colega.user, ticket)

    assert kinds_to("agente@atiende.test") == ["agent_new_ticket", "agent_assigned"]
    assert kinds_to("colega@atiende.test") == ["agent_new_ticket"]
    (sent,) = [each for each in mail.outbox if each.to == ["agente@atiende.test"]]
    assert f"Supervisora assigned ticket #{ticket.number} to you." in sent.body
    assert sent.subject.startswith("Re: [#")  # the agent already had the new-ticket notice


def test_assigning_again_later_is_a_new_notice(world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.assign_ticket(world.supervisor.user, ticket, world.agente)
    actions.assign_ticket(world.supervisor.user, ticket, None)
    actions.assign_ticket(world.supervisor.user, ticket, world.agente)

    assert kinds_to("agente@atiende.test") == ["agent_new_ticket", "agent_assigned", "agent_assigned"]


def test_a_customer_reply_goes_to_the_queue_while_unassigned_then_to_the_assignee(world, colega):
    in_english(colega)
    ticket = open_ticket(world.luis, world.soporte)
    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Sigue fallando.")
    assert (
        kinds_to("agente@atiende.test")[-1] == kinds_to("colega@atiende.test")[-1] == "agent_customer_replied"
    )

    actions.take_ticket(colega.user, ticket)
    # A colleague of the company who follows its tickets writes too.
    actions.add_reply(world.ana.user, ticket, channel=Channel.WEB, text="Aquí tampoco funciona.")

    assert kinds_to("agente@atiende.test") == ["agent_new_ticket", "agent_customer_replied"]
    assert kinds_to("colega@atiende.test") == [
        "agent_new_ticket",
        "agent_customer_replied",
        "agent_customer_replied",
    ]
    latest = OutboundEmail.objects.filter(to=["colega@atiende.test"]).latest("pk")
    render_queued(latest)  # what the worker that sends it does
    assert f"Ana Acme replied on ticket #{ticket.number}:" in latest.body_text
    assert "Aquí tampoco funciona." in latest.body_text


def test_an_agents_reply_tells_no_agent(world, colega):
    ticket = open_ticket(world.luis, world.soporte)
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Voy para allá.")

    assert "agent_customer_replied" not in kinds_to("agente@atiende.test") + kinds_to("colega@atiende.test")


def test_the_same_event_never_queues_a_notice_twice(world, colega):
    ticket = open_ticket(world.luis, world.soporte)
    message = actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Hola")
    actions.assign_ticket(world.supervisor.user, ticket, world.agente)
    before = OutboundEmail.objects.count()

    # A retried job running the same notices again.
    notify.new_ticket_for_queue(ticket)
    ticket.refresh_from_db()
    notify.assigned(ticket, world.supervisor.user)
    notify.customer_replied(ticket, Message.objects.get(pk=message.pk))
    notify.ticket_opened(ticket)

    assert OutboundEmail.objects.count() == before


def test_a_rolled_back_reply_queues_nothing(world, colega, django_capture_on_commit_callbacks):
    ticket = open_ticket(world.luis, world.soporte)
    before = OutboundEmail.objects.count()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Hola")
        actions.assign_ticket(world.supervisor.user, ticket, world.agente)
        raise RuntimeError

    assert OutboundEmail.objects.count() == before
    assert mail.outbox == []


def test_the_queues_engineers_are_kept_and_a_change_of_them_applies_to_the_next_ticket(world, colega):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    newcomer = make_agent("nuevo@atiende.test", full_name="Nuevo Soporte")
    open_ticket(world.luis, world.soporte)
    with CaptureQueriesContext(connection) as opening:
        open_ticket(world.luis, world.soporte)
    assert not [query for query in opening.captured_queries if "tickets_queue_agents" in query["sql"]]

    world.agente.user.is_active = False
    world.agente.user.save()
    open_ticket(world.luis, world.soporte)
    # Only the queue's membership changes now.
    world.soporte.agents.remove(colega)
    world.soporte.agents.add(newcomer)
    open_ticket(world.luis, world.soporte)

    assert kinds_to("agente@atiende.test") == ["agent_new_ticket"] * 2
    assert kinds_to("colega@atiende.test") == ["agent_new_ticket"] * 3
    assert kinds_to("nuevo@atiende.test") == ["agent_new_ticket"]
