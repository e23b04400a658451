"""`@nombre` in internal notes: the engineer named is told, if they see the ticket."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atiende.accounts.models import Agent, AgentRole
from atiende.outbox.models import OutboundEmail
from atiende.tickets import actions, mentions
from atiende.tickets.models import Channel
from tests.factories import make_agent, open_ticket


def mentioned_emails() -> list[list[str]]:
    return [email.to for email in OutboundEmail.objects.filter(kind="agent_mentioned").order_by("pk")]


def test_a_note_that_mentions_an_engineer_who_sees_the_ticket_tells_them(world):
    ticket = open_ticket(world.luis, world.soporte, subject="VPN caída")

    actions.add_note(world.agente.user, ticket, channel=Channel.WEB, text="@supervisor ¿lo escalamos?")

    [email] = OutboundEmail.objects.filter(kind="agent_mentioned")
    assert email.to == [world.supervisor.user.email]
    assert "Agente Soporte le mencionó" in email.subject
    assert "¿lo escalamos?" in email.body_text
    assert f"/desk/tickets/{ticket.number}/#m" in email.body_text


def test_a_mention_of_an_engineer_who_does_not_see_the_ticket_does_nothing(world):
    ticket = open_ticket(world.luis, world.soporte)  # otro works Redes only

    actions.add_note(world.agente.user, ticket, channel=Channel.WEB, text="@otro mira esto")

    assert mentioned_emails() == []


def test_contacts_integrations_and_the_author_are_never_told(world):
    integration = make_agent("bot@integrations.invalid", world.soporte, full_name="Integración")
    Agent.objects.filter(pk=integration.pk).update(is_integration=True)
    ticket = open_ticket(world.luis, world.soporte)

    actions.add_note(world.agente.user, ticket, channel=Channel.WEB, text="@luis @bot @agente @ana hola")

    assert mentioned_emails() == []
    handles = {person.handle for person in mentions.mentionable(ticket)}
    assert "bot" not in handles
    assert "luis" not in handles
    assert {"agente", "supervisor", "admin"} <= handles


def test_an_address_in_a_note_is_not_a_mention(world):
    ticket = open_ticket(world.luis, world.soporte)

    actions.add_note(world.admin.user, ticket, text="Escribir a agente@atiende.test")

    assert mentioned_emails() == []


def test_a_handle_is_read_whatever_its_case_and_told_once(world):
    ticket = open_ticket(world.luis, world.soporte)

    actions.add_note(world.agente.user, ticket, text="@SUPERVISOR, ¿lo revisas? (@supervisor)")

    assert mentioned_emails() == [[world.supervisor.user.email]]


def test_a_public_reply_mentions_nobody(world):
    ticket = open_ticket(world.luis, world.soporte)

    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="@supervisor hola")

    assert mentioned_emails() == []


def test_the_autocomplete_lists_the_engineers_who_see_the_ticket_but_not_the_one_asking(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    people = client.get(reverse("desk:ticket-mentions", args=[ticket.number])).json()["people"]

    handles = [person["handle"] for person in people]
    assert "supervisor" in handles
    assert "agente" not in handles
    assert "otro" not in handles
    assert all(set(person) == {"handle", "name"} for person in people)


@pytest.mark.parametrize("who", ["otro", "luis", "carla"])
def test_the_autocomplete_of_a_ticket_one_cannot_work_is_not_found(client, world, who):
    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(getattr(world, who).user)

    assert client.get(reverse("desk:ticket-mentions", args=[ticket.number])).status_code == 404


def test_a_mention_is_highlighted_in_the_note_and_other_at_words_are_not(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.add_note(world.agente.user, ticket, text="@supervisor mira <b>esto</b>; @nadie tampoco")
    client.force_login(world.agente.user)

    html = client.get(reverse("desk:ticket", args=[ticket.number])).content.decode()

    assert '<mark class="mention">@supervisor</mark>' in html
    assert '<mark class="mention">@nadie</mark>' not in html
    assert "&lt;b&gt;esto&lt;/b&gt;" in html


def test_an_engineer_who_wants_no_email_is_not_emailed(world):
    Agent.objects.filter(pk=world.supervisor.pk).update(email_notifications=False)
    ticket = open_ticket(world.luis, world.soporte)

    actions.add_note(world.agente.user, ticket, text="@supervisor")

    assert mentioned_emails() == []
    assert world.supervisor.role == AgentRole.SUPERVISOR
