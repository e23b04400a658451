"""Against the real Alertmanager (Debian's `prometheus-alertmanager`): alerts posted to its
API reach our endpoint through its webhook receiver, configured with the snippet the admin
shows (bearer token included); the ticket appears, and resolves when the alert ends."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from atiende.monitoring import sources
from atiende.monitoring.models import AlertIncident
from atiende.tickets import ledger
from atiende.tickets.models import MessageKind, StatusKind, Ticket
from tests.conftest import World
from tests.helpers import free_port
from tests.monitoring.conftest import make_source

pytestmark = pytest.mark.server

BINARY = "prometheus-alertmanager"
LABELS = {"alertname": "DiscoLleno", "instance": "db1.acme.test:9100", "severity": "warning"}


class Alertmanager:
    def __init__(self, workdir: Path, webhook_url: str, token: str) -> None:
        assert shutil.which(BINARY), f"{BINARY} is missing: `make browser-deps` installs it"
        config = yaml.safe_load(sources.alertmanager_config(webhook_url, token))
        config["route"].update(group_wait="1s", group_interval="2s", repeat_interval="1h")
        (workdir / "alertmanager.yml").write_text(yaml.safe_dump(config))
        self.base = f"http://127.0.0.1:{free_port()}"
        self.log = workdir / "alertmanager.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    BINARY,
                    f"--config.file={workdir / 'alertmanager.yml'}",
                    f"--storage.path={workdir / 'data'}",
                    f"--web.listen-address={self.base.removeprefix('http://')}",
                    "--cluster.listen-address=",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(self.ready, "Alertmanager to start", self)

    def ready(self) -> bool:
        assert self.process.poll() is None, "Alertmanager exited"
        try:
            return requests.get(f"{self.base}/-/ready", timeout=2).status_code == 200
        except requests.ConnectionError:
            return False

    def fire(self, **times: str) -> None:
        response = requests.post(
            f"{self.base}/api/v2/alerts",
            json=[{"labels": LABELS, "annotations": {"summary": "Disco casi lleno en db1"}, **times}],
            timeout=10,
        )
        assert response.status_code == 200, response.text

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def wait_for(condition: Callable[[], Any], what: str, alertmanager: Alertmanager | None = None) -> Any:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)  # polling interval, not a wait for something to happen
    log = alertmanager.log.read_text()[-3000:] if alertmanager else ""
    raise AssertionError(f"timed out waiting for {what}\n{log}")


@pytest.fixture
def alertmanager(
    transactional_db: None,
    django_db_serialized_rollback: None,
    live_server: LiveServer,
    world: World,
    tmp_path: Path,
) -> Iterator[Alertmanager]:
    source = make_source(world)
    url = live_server.url.replace("localhost", "127.0.0.1") + reverse(
        "api:alerts-receive", args=[source.source.pk]
    )
    running = Alertmanager(tmp_path, url, source.token)
    yield running
    running.stop()


def test_alertmanager_opens_the_incident_and_resolves_it(alertmanager: Alertmanager) -> None:
    alertmanager.fire()

    ticket = wait_for(lambda: Ticket.objects.first(), "the ticket", alertmanager)
    assert ticket.subject == "DiscoLleno: Disco casi lleno en db1"
    assert ticket.priority.level == 2

    past = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)).isoformat()
    alertmanager.fire(
        startsAt=(datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)).isoformat(),
        endsAt=past,
    )

    wait_for(
        lambda: Ticket.objects.get(pk=ticket.pk).status.kind == StatusKind.RESOLVED,
        "the ticket to be resolved",
        alertmanager,
    )
    assert Ticket.objects.count() == 1
    assert ticket.messages.filter(kind=MessageKind.NOTE).count() == 1
    assert AlertIncident.objects.get().status == "resolved"
    assert ledger.verify(ticket) == []
