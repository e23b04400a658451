from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from atiende.incidents import actions
from atiende.incidents.models import Incident
from atiende.tickets.models import Ticket
from tests.factories import open_ticket


@pytest.fixture
def open_checked(django_capture_on_commit_callbacks: Any) -> Callable[..., Ticket]:
    """Open a ticket and run what follows its commit (the similarity check is one of them)."""

    def opened(*args: Any, **kwargs: Any) -> Ticket:
        with django_capture_on_commit_callbacks(execute=True):
            return open_ticket(*args, **kwargs)

    return opened


@pytest.fixture
def incident(world) -> Incident:
    """Acme's mail is down: Luis's ticket, declared a major incident by the Soporte agent."""
    ticket = open_ticket(
        world.luis, world.soporte, subject="Correo caído", text="No llega ni sale correo desde las 9:10."
    )
    return actions.declare_incident(world.agente.user, ticket, title="Correo caído desde las 9:10")
