"""Who may open report pages: agents (the at-risk list and their workload), and for the
figures of the whole operation, supervisors and admins. Everyone else gets a 404, like any
desk page they may not open."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from atiende.accounts.auth import signed_in_user
from atiende.accounts.models import Agent, User
from atiende.tickets import access


def agent_user(request: HttpRequest) -> tuple[User, Agent]:
    user = signed_in_user(request)
    agent = access.active_agent(user)
    if agent is None:
        raise Http404
    return user, agent


def supervisor_user(request: HttpRequest) -> tuple[User, Agent]:
    user, agent = agent_user(request)
    if not agent.sees_all_queues:
        raise Http404
    return user, agent
