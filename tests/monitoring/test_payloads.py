"""Reading Alertmanager's webhook (version 4) and the generic JSON format."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import translation

from atiende.monitoring.models import AlertFormat, AlertStatus
from atiende.monitoring.payloads import PayloadError, parse
from tests.monitoring.conftest import alert, webhook


def test_it_reads_every_alert_of_an_alertmanager_group() -> None:
    body = webhook(
        alert(), alert("resolved", fingerprint="ffee", instance="db2", ends_at="2026-12-06T22:00:00Z")
    )
    first, second = parse(body, AlertFormat.ALERTMANAGER)
    assert first.status == AlertStatus.FIRING
    assert first.fingerprint == "1a30ba71cca2921f"
    assert first.name == "DiscoLleno"
    assert first.summary == "Disco casi lleno en db1"
    assert first.labels["severity"] == "critical"
    assert first.starts_at == datetime.datetime(2026, 12, 6, 21, 0, 0, 123456, tzinfo=datetime.UTC)
    assert first.ends_at is None  # Alertmanager's zero time: still firing
    assert first.url.startswith("http://prometheus.acme.test")
    assert second.status == AlertStatus.RESOLVED
    assert second.ends_at == datetime.datetime(2026, 12, 6, 22, 0, tzinfo=datetime.UTC)


def test_an_alert_without_fingerprint_is_known_by_its_labels() -> None:
    def fingerprint_of(**labels: str) -> str:
        data = alert(**labels)
        del data["fingerprint"]
        return parse(webhook(data), AlertFormat.ALERTMANAGER)[0].fingerprint

    assert fingerprint_of() == fingerprint_of()
    assert fingerprint_of() != fingerprint_of(instance="db2")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"[]", "Alertmanager"),
        (json.dumps({"version": "3", "alerts": []}).encode(), "version 3"),
        (json.dumps({"version": "4"}).encode(), "list of alerts"),
        (webhook({**alert(), "status": "exploded"}), "firing"),
        (webhook({**alert(), "labels": ["a"]}), r"alerts\[0\]\.labels"),
        (webhook({**alert(), "startsAt": "yesterday"}), "startsAt"),
        (webhook({**alert(), "fingerprint": "x\n" * 3}), "fingerprint"),
    ],
)
def test_it_refuses_what_it_cannot_read_with_the_reason(body: bytes, reason: str) -> None:
    with translation.override("en"), pytest.raises(PayloadError, match=reason):
        parse(body, AlertFormat.ALERTMANAGER)


def test_the_generic_format_needs_only_status_and_title() -> None:
    body = json.dumps(
        {"status": "firing", "title": "Backup failed", "severity": "warning", "labels": {"host": "nas"}}
    ).encode()
    (read,) = parse(body, AlertFormat.GENERIC)
    assert (read.name, read.severity, read.labels) == ("Backup failed", "warning", {"host": "nas"})
    assert read.fingerprint.startswith("sha256:")
    with translation.override("en"), pytest.raises(PayloadError, match="title"):
        parse(json.dumps({"status": "firing"}).encode(), AlertFormat.GENERIC)


def test_the_generic_format_takes_a_list_of_alerts() -> None:
    body = json.dumps(
        [
            {"fingerprint": "a", "status": "firing", "title": "One"},
            {"fingerprint": "b", "status": "resolved", "title": "Two", "ends_at": "2026-12-06T22:00:00Z"},
        ]
    ).encode()
    assert [(a.fingerprint, a.status) for a in parse(body, AlertFormat.GENERIC)] == [
        ("a", AlertStatus.FIRING),
        ("b", AlertStatus.RESOLVED),
    ]
