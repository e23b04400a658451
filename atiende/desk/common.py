"""What every desk view starts with: the signed-in agent, and tickets loaded through access."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404, HttpRequest

from atiende.accounts.auth import signed_in_user
from atiende.accounts.models import Agent, User
from atiende.tickets import access
from atiende.tickets.models import Ticket
from atiende.tickets.related import Question


def typed(value: str | None, limit: int) -> str:
    """What someone typed in a search or filter box, as the desk reads it: single spaces,
    no control characters (PostgreSQL refuses a NUL in a query), at most `limit` long."""
    words = "".join(ch for ch in (value or "") if ch.isprintable() or ch.isspace()).split()
    return " ".join(words)[:limit]


def agent_user(request: HttpRequest) -> tuple[User, Agent]:
    """The signed-in user and their agent record; 404 for anyone who is not an agent."""
    user = signed_in_user(request)
    agent = access.active_agent(user)
    if agent is None:
        raise Http404
    return user, agent


def get_ticket_for_agent(
    user: User, number: int, *, asking: Iterable[Question] = (), joining: Iterable[str] = ()
) -> Ticket:
    """The ticket if this agent may work it; 404 otherwise (outside their queues too).
    `asking`: which of its lists hold anything (`tickets.related`); `joining`: related rows
    read with it."""
    if access.active_agent(user) is None:
        raise Http404
    # Read through `tickets_visible_to`, so an agent who gets it may work it
    # (`access.can_work`) without asking again.
    return access.get_ticket_for_user(user, number, asking=asking, joining=joining)
