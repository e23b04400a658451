"""`@nombre` in an internal note: the engineer named is told. A handle is the part of an
engineer's address before the @ (`@laura.gomez`), the one thing every engineer has and
nobody shares within a provider. Only engineers who see the ticket can be mentioned
(`access.engineers_who_see`); any other handle is plain text, and contacts and
integrations are never among them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from atiende.accounts.models import Agent, User
from atiende.tickets import access
from atiende.tickets.models import Ticket

# An @ that starts a word (not inside an address such as ana@acme.test), then the handle.
MENTION = re.compile(r"(?<![\w.+-])@([a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?)", re.IGNORECASE)
MAX_MENTIONS = 20


def handle_of(user: User) -> str:
    return user.email.split("@", 1)[0].lower()


def handles_in(text: str) -> set[str]:
    return {found.lower() for found in MENTION.findall(text)}


@dataclass(frozen=True)
class Mentionable:
    handle: str
    name: str


def mentionable(ticket: Ticket) -> list[Mentionable]:
    """Who the note's author may name, by name: the autocomplete's list."""
    agents = access.engineers_who_see(ticket).order_by("user__full_name", "pk")
    return [Mentionable(handle_of(agent.user), agent.user.get_full_name()) for agent in agents]


def mentioned(ticket: Ticket, text: str, *, exclude: Iterable[int] = ()) -> list[Agent]:
    """The engineers who see the ticket and whose handle the text names (not those in
    `exclude`, the author)."""
    handles = handles_in(text)
    if not handles:
        return []
    skip = set(exclude)
    found = [
        agent
        for agent in access.engineers_who_see(ticket).order_by("pk")
        if handle_of(agent.user) in handles and agent.user_id not in skip
    ]
    return found[:MAX_MENTIONS]
