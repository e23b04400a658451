"""The provider's team: inviting an engineer into their queues in one step."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from atiende.accounts.invitations import create_agent
from atiende.accounts.models import Agent, User
from atiende.tickets.models import Queue


def invite_engineer(actor: User, *, email: str, full_name: str, role: str, queues: Iterable[Queue]) -> Agent:
    """A new engineer in these queues, who receives the link to choose a password. The
    account, the queues and the invitation are one change: none exists without the others."""
    with transaction.atomic():
        agent = create_agent(actor, email=email, full_name=full_name, role=role)
        for queue in queues:
            queue.agents.add(agent)
    return agent
