"""Alertmanager in high availability sends the same notification from each replica: two
deliveries of one alert at the same moment open one ticket, and both are answered."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from atiende.monitoring import incidents
from atiende.monitoring.models import AlertFormat, AlertIncident
from atiende.monitoring.payloads import parse
from atiende.tickets.models import Ticket
from tests.conftest import World
from tests.monitoring.conftest import alert, make_source, webhook


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_deliveries_of_one_alert_at_once_open_one_ticket(world: World) -> None:
    source = make_source(world).source
    alerts = parse(webhook(alert()), AlertFormat.ALERTMANAGER)
    start = threading.Barrier(2)
    outcomes: list[incidents.Outcome] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            start.wait()
            outcomes.append(incidents.receive(source, alerts))
        except BaseException as error:  # reported by the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    ticket = Ticket.objects.get()
    assert sorted(len(outcome.opened) for outcome in outcomes) == [0, 1]
    assert AlertIncident.objects.get().ticket == ticket
