"""A critical monitoring alert declares its ticket a major incident; its recovery resolves
the tickets gathered under it with the recovery note."""

from __future__ import annotations

from django.test import Client

from atiende.incidents import actions
from atiende.incidents.models import Incident, IncidentState
from atiende.monitoring.models import AlertIncident
from atiende.tickets.models import StatusKind
from tests.conftest import World
from tests.factories import open_ticket
from tests.monitoring.conftest import Source, acme_alerts, alert, post, webhook  # noqa: F401 - fixture


def test_a_critical_alert_declares_a_major_incident_and_its_recovery_resolves_the_children(
    client: Client,
    world: World,
    acme_alerts: Source,  # noqa: F811
) -> None:
    assert post(client, acme_alerts, webhook(alert())).status_code == 200
    ticket = AlertIncident.objects.get().ticket
    incident = Incident.objects.get(ticket=ticket)
    child = open_ticket(world.carla, world.soporte, subject="La base de datos no responde")
    actions.attach_ticket(world.agente.user, incident, child)

    resolved = alert("resolved", ends_at="2026-12-06T21:40:00Z")
    assert post(client, acme_alerts, webhook(resolved)).status_code == 200
    incident.refresh_from_db()
    child.refresh_from_db()
    assert incident.state == IncidentState.RESOLVED
    assert child.status.kind == StatusKind.RESOLVED
    assert child.messages.filter(body_text__startswith="La alerta se recuperó").exists()


def test_a_warning_alert_opens_a_plain_ticket(
    client: Client,
    world: World,
    acme_alerts: Source,  # noqa: F811
) -> None:
    assert post(client, acme_alerts, webhook(alert(severity="warning"))).status_code == 200
    assert not Incident.objects.exists()
