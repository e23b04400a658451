"""The customer side of notices: the requester and the copied addresses, each in their
language and by their preference; closing tells them too."""

from __future__ import annotations

from atiende.accounts.models import NotificationPreference
from atiende.outbox.models import OutboundEmail
from atiende.tickets import actions
from atiende.tickets.models import Channel, StatusKind
from tests.factories import open_ticket


def emails_to(address: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(to=[address]).order_by("pk"))


def test_copied_addresses_get_replies_and_stage_changes_in_their_language(world):
    world.luis.user.language = "en"
    world.luis.user.save()
    world.ana.user.language = "en"
    world.ana.user.save()
    ticket = open_ticket(world.luis, world.soporte, subject="VPN")
    actions.change_ticket(world.agente.user, ticket, cc=["jefe@externo.test", "ana@acme.test"])

    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Revisando.")
    actions.change_status(world.agente.user, ticket, actions.default_status(StatusKind.RESOLVED))

    for address in ("luis@acme.test", "ana@acme.test", "jefe@externo.test"):
        assert [email.kind for email in emails_to(address)][-2:] == ["ticket_reply", "ticket_status"]
    # Without an account: the installation's language and no name.
    external = emails_to("jefe@externo.test")[-1].body_text
    assert "pasó de «Nuevo» a «Resuelto»" in external
    assert "Luis" not in external.splitlines()[0]
    # With an account: their language and their name.
    assert emails_to("ana@acme.test")[-1].body_text.startswith("Hello Ana,")
    assert emails_to("luis@acme.test")[-1].body_text.startswith("Hello Luis,")


def test_a_copied_contact_who_wants_no_email_gets_none(world):
    world.ana.notifications = NotificationPreference.NONE
    world.ana.save()
    ticket = open_ticket(world.luis, world.soporte)
    actions.change_ticket(world.agente.user, ticket, cc=["ana@acme.test"])

    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Revisando.")

    assert emails_to("ana@acme.test") == []
    assert [email.kind for email in emails_to("luis@acme.test")] == ["ticket_opened", "ticket_reply"]


def test_important_news_only_skips_ordinary_stage_changes(world):
    world.luis.notifications = NotificationPreference.IMPORTANT
    world.luis.save()
    ticket = open_ticket(world.luis, world.soporte)

    actions.change_status(world.agente.user, ticket, actions.default_status(StatusKind.PENDING))
    actions.change_status(world.agente.user, ticket, actions.default_status(StatusKind.RESOLVED))

    statuses = [e for e in emails_to("luis@acme.test") if e.kind == "ticket_status"]
    assert len(statuses) == 1
    assert "Resuelto" in statuses[0].body_text


def test_an_agent_closing_tells_the_requester_and_the_copied(world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.change_ticket(world.agente.user, ticket, cc=["jefe@externo.test"])

    actions.close_ticket(world.agente.user, ticket)

    for address in ("luis@acme.test", "jefe@externo.test"):
        closing = emails_to(address)[-1]
        assert closing.kind == "ticket_status"
        assert "abra un nuevo ticket citando este número" in closing.body_text
        assert closing.headers["Auto-Submitted"] == "auto-generated"


def test_a_requester_closing_their_ticket_is_not_told_but_the_copied_are(world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.change_ticket(world.agente.user, ticket, cc=["jefe@externo.test"])

    actions.close_ticket(world.luis.user, ticket)

    assert [email.kind for email in emails_to("luis@acme.test")] == ["ticket_opened"]
    assert emails_to("jefe@externo.test")[-1].kind == "ticket_status"
