"""An alert source for Acme (filed for Ana, in Soporte) and ways to post alerts to it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from atiende.monitoring import sources
from atiende.monitoring.models import AlertSource
from tests.conftest import World


@dataclass
class Source:
    source: AlertSource
    token: str

    @property
    def url(self) -> str:
        return reverse("api:alerts-receive", args=[self.source.pk])


def make_source(world: World, name: str = "Prometheus Acme", **values: Any) -> Source:
    source = AlertSource(
        name=name, organization=world.acme, requester=world.ana, queue=world.soporte, **values
    )
    token = sources.save_source(source)
    return Source(source, token)


@pytest.fixture
def acme_alerts(world: World) -> Source:
    return make_source(world)


def alert(
    status: str = "firing",
    *,
    alertname: str = "DiscoLleno",
    instance: str = "db1.acme.test:9100",
    severity: str = "critical",
    fingerprint: str = "1a30ba71cca2921f",
    summary: str = "Disco casi lleno en db1",
    ends_at: str = "0001-01-01T00:00:00Z",
    **labels: str,
) -> dict[str, Any]:
    return {
        "status": status,
        "labels": {"alertname": alertname, "instance": instance, "severity": severity, **labels},
        "annotations": {"summary": summary, "description": "Queda menos del 5 % libre en /var."},
        "startsAt": "2026-12-06T21:00:00.123456789Z",
        "endsAt": ends_at,
        "generatorURL": "http://prometheus.acme.test:9090/graph?g0.expr=disk",
        "fingerprint": fingerprint,
    }


def webhook(*alerts: dict[str, Any]) -> bytes:
    """Alertmanager's webhook body (version 4) for these alerts."""
    status = "firing" if any(a["status"] == "firing" for a in alerts) else "resolved"
    return json.dumps(
        {
            "version": "4",
            "groupKey": '{}:{alertname="DiscoLleno"}',
            "truncatedAlerts": 0,
            "status": status,
            "receiver": "atiende",
            "groupLabels": {"alertname": "DiscoLleno"},
            "commonLabels": {},
            "commonAnnotations": {},
            "externalURL": "http://alertmanager.acme.test:9093",
            "alerts": list(alerts),
        }
    ).encode()


def post(client: Client, source: Source, body: bytes, token: str | None = None) -> Any:
    return client.post(
        source.url,
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {source.token if token is None else token}"},
    )
