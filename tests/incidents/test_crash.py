"""An update to an incident with 200 tickets: queued in one transaction, sent once each
even when the sending worker is killed with SIGKILL half-way and started again."""

from __future__ import annotations

import email
import os
import signal
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest

from tests.mail.test_crash import Instance

pytestmark = pytest.mark.server

CHILDREN = 200
MARKER = "Actualizacion-del-incidente-7731"
SETUP = f"""
from django.db import transaction
from atiende.accounts.models import Agent, AgentRole, Contact, Membership, Organization, User
from atiende.incidents import actions
from atiende.jobs import dispatch
from atiende.outbox.models import OutboundEmail
from atiende.tickets import actions as ticket_actions
from atiende.tickets.models import Channel, Queue
# No worker runs yet: what the web process queues waits in the outbox for one.
dispatch.deliver_outbox = lambda ids: None
companies = [Organization.objects.create(name=f"Cliente {{n}}", email_domains=f"cliente{{n}}.test") for n in range(4)]
queue = Queue.objects.create(name="Soporte", slug="soporte")
agent_user = User.objects.create_user("agente@atiende.test", None, full_name="Agente")
agent = Agent.objects.create(user=agent_user, role=AgentRole.SUPERVISOR)
queue.agents.add(agent)
def contact(n):
    company = companies[n % 4]
    user = User.objects.create_user(f"persona{{n}}@cliente{{n % 4}}.test", None, full_name=f"Persona {{n}}")
    person = Contact.objects.create(user=user)
    Membership.objects.create(contact=person, organization=company, is_primary=True)
    return person, company
def report(n):
    person, company = contact(n)
    return ticket_actions.open_ticket(person.user, channel=Channel.WEB, organization=company, requester=person,
                                      queue=queue, subject=f"Sin correo {{n}}", text="No llega el correo.")
incident = actions.declare_incident(agent_user, report(10_000))
for n in range({CHILDREN}):
    actions.attach_ticket(agent_user, incident, report(n))
OutboundEmail.objects.all().delete()  # the confirmations of the reports: not what is measured
actions.post_update(agent_user, incident, text="{MARKER}: el servidor de correo vuelve en una hora.")
print(OutboundEmail.objects.filter(kind="ticket_reply").count())
"""
WORK = """
from atiende.outbox.outbox import deliver_due
sent = 0
while True:
    batch = deliver_due(limit=5)
    if not batch:
        break
    sent += batch
    print(sent, flush=True)
print("done", flush=True)
"""
COUNTS = """
from atiende.outbox.models import OutboundEmail
print(OutboundEmail.objects.filter(kind="ticket_reply", status="sent").count(), OutboundEmail.objects.filter(kind="ticket_reply").count())
"""


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    made = Instance(tmp_path / "var")
    yield made
    made.drop()


def counts(instance: Instance) -> list[int]:
    return [int(n) for n in instance.run("shell", "-v0", "-c", COUNTS).split()[-2:]]


def _mail_written(mail_dir: Path) -> list[Message]:
    """Every email the file backend wrote (one file per connection, messages separated
    by a line of dashes)."""
    found = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"-" * 79 + b"\n"):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk))
    return found


def _text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            charset = part.get_content_charset() or "utf-8"
            return payload.decode(charset) if isinstance(payload, bytes) else ""
    return ""


def test_a_worker_killed_mid_sending_an_update_sends_each_notice_once(instance: Instance) -> None:
    instance.run("migrate", "-v0")
    queued = int(instance.run("shell", "-v0", "-c", SETUP).split()[-1])
    # The update reaches the incident's requester and the 200 others, queued together.
    assert queued == CHILDREN + 1

    worker = subprocess.Popen(
        instance.command("shell", "-v0", "-c", WORK), env=instance.env, stdout=subprocess.PIPE, text=True
    )
    assert worker.stdout is not None
    for line in worker.stdout:
        if line.strip().isdigit() and int(line) >= 40:
            break
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()

    sent, total = counts(instance)
    assert 0 < sent < total == CHILDREN + 1, "the kill must land mid-way"

    finished = instance.run("shell", "-v0", "-c", WORK)
    assert finished.strip().endswith("done")
    assert counts(instance) == [CHILDREN + 1, CHILDREN + 1]

    # Each requester got the update under one Message-ID: a notice cut off by the kill
    # after the server took it is sent again with the same id, which mail clients merge.
    by_recipient: dict[str, set[str]] = defaultdict(set)
    for message in _mail_written(Path(instance.env["ATIENDE_VAR_DIR"]) / "mail"):
        if MARKER in _text(message):
            by_recipient[str(message["To"])].add(str(message["Message-ID"]))
    assert len(by_recipient) == CHILDREN + 1
    assert all(len(ids) == 1 for ids in by_recipient.values())
