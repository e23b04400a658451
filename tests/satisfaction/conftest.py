import re
from urllib.parse import urlsplit

import pytest

from atiende.outbox.models import OutboundEmail
from atiende.tickets import actions
from atiende.tickets.models import Status, StatusKind
from tests.factories import open_ticket


def resolve(agent_user, ticket):
    actions.change_status(agent_user, ticket, Status.objects.get(kind=StatusKind.RESOLVED, is_default=True))
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def resolved(world):
    """Luis's ticket in Soporte, resolved by the queue's agent."""
    ticket = open_ticket(world.luis, world.soporte)
    actions.assign_ticket(world.agente.user, ticket, world.agente)
    return resolve(world.agente.user, ticket)


def resolution_email(ticket, email):
    emails = OutboundEmail.objects.filter(ticket_number=ticket.number, kind="ticket_status").order_by("-pk")
    return next((sent for sent in emails if email in sent.to), None)


def face_links(body: str) -> dict[str, str]:
    """The rating links of an email body, by face, as paths the test client can open."""
    found = re.findall(r"https?://[^\s\"'<>]+/portal/rate/[^\s\"'<>]+", body)
    links = {}
    for url in found:
        parts = urlsplit(url.replace("&amp;", "&"))
        face = parts.query.removeprefix("face=")
        links[face] = parts.path + (f"?{parts.query}" if parts.query else "")
    return links
