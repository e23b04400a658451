"""Crash safety of WhatsApp processing: the worker is killed with SIGKILL in the middle of
the stored webhook bodies; after a restart every message is filed exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import free_port
from tests.mail.test_crash import Instance

pytestmark = pytest.mark.server

MESSAGES = 150
SETUP = f"""
from atiende.accounts.models import Contact, Membership, Organization, User
from atiende.tickets.models import Queue
from atiende.whatsapp import inbound, samples
from atiende.whatsapp.models import WhatsAppNumber
acme = Organization.objects.create(name="Acme", email_domains="acme.test")
queue = Queue.objects.create(name="Soporte", slug="soporte")
number = WhatsAppNumber.objects.create(name="S", display_phone="+576015550100", phone_number_id="1",
                                       app_secret="s", verify_token="v", queue=queue)
for n in range(30):
    user = User.objects.create_user(f"persona{{n}}@acme.test", None, full_name=f"Persona {{n}}")
    contact = Contact.objects.create(user=user, whatsapp=f"+5730000000{{n:02d}}")
    Membership.objects.create(contact=contact, organization=acme, is_primary=True)
for n in range({MESSAGES}):
    message = samples.text(f"+5730000000{{n % 30:02d}}", f"Caso {{n}}: la impresora no imprime #x")
    inbound.store(number, samples.body("1", messages=[message]))
"""
WORK = (
    "from atiende.whatsapp.inbound import process_pending\nwhile process_pending(1000): pass\nprint('done')"
)
# The same work one body at a time, saying so after each: the test kills it once it has
# seen a tenth of them go, wherever the worker then is (no polling: processing is faster
# than a shell started to count).
STEPWISE = (
    "from atiende.whatsapp.inbound import process_pending\n"
    "while process_pending(1): print('one', flush=True)\nprint('done')"
)
COUNTS = """
from atiende.whatsapp.models import InboundMessage, WebhookDelivery
from atiende.tickets.models import Message
print(WebhookDelivery.objects.filter(status="processed").count(), InboundMessage.objects.filter(state="filed").count(),
      Message.objects.count(), len(set(Message.objects.values_list("body_text", flat=True))))
"""


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    made = Instance(tmp_path / "var")
    # The confirmations the new tickets queue must never leave this machine: Graph is a
    # closed port on loopback here (they stay queued; this test counts tickets).
    made.env["ATIENDE_WHATSAPP_GRAPH_URL"] = f"http://127.0.0.1:{free_port()}/v21.0"
    yield made
    made.drop()


def counts(instance: Instance) -> list[int]:
    return [int(n) for n in instance.run("shell", "-v0", "-c", COUNTS).split()[-4:]]


def test_a_worker_killed_mid_processing_loses_and_doubles_nothing(instance: Instance) -> None:
    instance.run("migrate", "-v0")
    instance.run("shell", "-v0", "-c", SETUP)

    worker = subprocess.Popen(
        instance.command("shell", "-v0", "-c", STEPWISE), env=instance.env, stdout=subprocess.PIPE, text=True
    )
    assert worker.stdout is not None
    seen = 0
    for line in worker.stdout:  # ends when the worker does: a worker that died shows below
        seen += line.strip() == "one"
        if seen >= MESSAGES // 10:
            break
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()

    processed, filed, messages, distinct = counts(instance)
    assert 0 < processed < MESSAGES, "the kill must land mid-way"
    assert filed == messages == distinct  # each filed message made its ticket message, no more

    assert instance.run("shell", "-v0", "-c", WORK).strip().endswith("done")
    assert counts(instance) == [MESSAGES, MESSAGES, MESSAGES, MESSAGES]
