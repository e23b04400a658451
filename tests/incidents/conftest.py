from __future__ import annotations

import pytest

from atiende.incidents import actions
from atiende.incidents.models import Incident
from tests.factories import open_ticket


@pytest.fixture
def incident(world) -> Incident:
    """Acme's mail is down: Luis's ticket, declared a major incident by the Soporte agent."""
    ticket = open_ticket(
        world.luis, world.soporte, subject="Correo caído", text="No llega ni sale correo desde las 9:10."
    )
    return actions.declare_incident(world.agente.user, ticket, title="Correo caído desde las 9:10")
