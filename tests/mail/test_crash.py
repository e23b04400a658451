"""Crash safety of mail processing: the worker is killed with SIGKILL in the middle of a
batch; after a restart every stored message is processed exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.server

MESSAGES = 300
SETUP = f"""
from atiende.accounts.models import Organization
from atiende.mail.inbound import store
from atiende.tickets.models import Queue
Organization.objects.create(name="Acme", email_domains="acme.test")
Queue.objects.create(name="Soporte", slug="soporte")
for n in range({MESSAGES}):
    raw = (f"From: persona{{n % 40}}@acme.test\\nTo: soporte@atiende.test\\nSubject: Caso {{n}}\\n"
           f"Message-ID: <crash-{{n}}@acme.test>\\nContent-Type: text/plain; charset=utf-8\\n\\n"
           f"La impresora {{n}} no imprime.\\n").encode()
    store(raw, source="pipe")
"""
COUNTS = """
from atiende.mail.models import InboundEmail
from atiende.tickets.models import Message, Ticket
from django.db.models import Count
print(InboundEmail.objects.filter(status="processed").count(), Ticket.objects.count(), Message.objects.count(),
      Ticket.objects.annotate(n=Count("messages")).filter(n__gt=1).count(),
      len(set(Ticket.objects.values_list("subject", flat=True))))
"""


class Instance:
    def __init__(self, var_dir: Path) -> None:
        self.env = {**os.environ, "ATIENDE_DEMO": "true", "ATIENDE_VAR_DIR": str(var_dir)}
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.env["ATIENDE_MAIL_TICKETS_PER_DAY"] = "100000"
        var_dir.mkdir(parents=True, exist_ok=True)
        if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
            import psycopg

            db = settings.DATABASES["default"]
            base = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            name = f"atiende_crash_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            self.env["DATABASE_URL"] = f"{base}/{name}"
            self.drop = lambda: _drop_database(base, name)
        else:
            self.env.pop("DATABASE_URL", None)

    drop = staticmethod(lambda: None)

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "atiende", *args]

    def run(self, *args: str) -> str:
        result = subprocess.run(
            self.command(*args), env=self.env, capture_output=True, text=True, timeout=300, check=False
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def counts(self) -> list[int]:
        return [int(n) for n in self.run("shell", "-v0", "-c", COUNTS).split()[-5:]]


def _drop_database(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    made = Instance(tmp_path / "var")
    yield made
    made.drop()


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(instance):
    instance.run("migrate", "-v0")
    instance.run("shell", "-v0", "-c", SETUP)

    worker = subprocess.Popen(instance.command("mail", "process"), env=instance.env)
    deadline = time.monotonic() + 120
    processed = 0
    while time.monotonic() < deadline and worker.poll() is None:
        time.sleep(0.5)
        processed = instance.counts()[0]
        if processed >= MESSAGES // 10:
            break
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()

    partial = instance.counts()
    assert 0 < partial[0] < MESSAGES, f"the kill must land mid-batch: {partial}"
    assert partial[1] == partial[0]  # each processed message made its ticket, no more

    assert instance.run("mail", "process").startswith("processed ")
    processed, tickets, messages, doubled, subjects = instance.counts()
    assert (processed, tickets, messages, doubled, subjects) == (MESSAGES, MESSAGES, MESSAGES, 0, MESSAGES)
