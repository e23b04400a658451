"""Crash safety of WhatsApp sending: a worker is SIGKILLed after Meta (the stand-in) has
accepted a message and before the worker could mark the row sent.

Meta offers no idempotency key. Every send carries its row's tracker
(`biz_opaque_callback_data`), which Meta echoes in the status webhooks: when the "sent"
status arrives before the claim expires, the message is recorded as sent and never sent
again; when no status arrives in time, it is sent once more (docs/decisions.md)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mail.test_crash import Instance
from tests.whatsapp import graph_standin
from tests.whatsapp.graph_standin import GraphStandIn

pytestmark = pytest.mark.server

TOKEN = "crash-token"
CLAIM_SECONDS = 2
SETUP = f"""
from atiende.accounts.models import Contact, Membership, Organization, User
from atiende.tickets.models import Queue, Ticket
from atiende.whatsapp import inbound, samples
from atiende.whatsapp.models import OutboundMessage, WhatsAppNumber
acme = Organization.objects.create(name="Acme", email_domains="acme.test")
queue = Queue.objects.create(name="Soporte", slug="soporte")
number = WhatsAppNumber.objects.create(name="S", display_phone="+576015550100", phone_number_id="1",
                                       access_token="{TOKEN}", app_secret="s", verify_token="v", queue=queue)
user = User.objects.create_user("ana@acme.test", None, full_name="Ana")
contact = Contact.objects.create(user=user, whatsapp="+573001112233")
Membership.objects.create(contact=contact, organization=acme, is_primary=True)
inbound.process(inbound.store(number, samples.body("1", messages=[samples.text("+573001112233", "Hola")]))[0])
OutboundMessage.objects.all().delete()  # only the three replies below are under test
ticket = Ticket.objects.get()
for n in range(3):
    OutboundMessage.objects.create(number=number, ticket=ticket, to="+573001112233", kind="text",
                                   payload={{"type": "text", "text": {{"body": f"Respuesta {{n}}"}}}},
                                   dedupe_key=f"crash:{{n}}")
"""
# The send task on every pending message (the periodic `deliver_due` does the same under a
# job lock, which the killed run would hold until it expires).
WORK = """
from atiende.whatsapp.models import OutboundMessage
from atiende.whatsapp.tasks import deliver
print("sent", deliver(list(OutboundMessage.objects.filter(status="pending").values_list("pk", flat=True))))
"""
STATUS = """
from atiende.whatsapp import inbound, samples
from atiende.whatsapp.models import WhatsAppNumber
number = WhatsAppNumber.objects.get()
status = samples.status({wamid!r}, "sent", "+573001112233", tracker={tracker!r})
print(inbound.process(inbound.store(number, samples.body("1", statuses=[status]))[0]).status)
"""
ROWS = """
import json
from atiende.whatsapp.models import OutboundMessage
print(json.dumps([[r.payload["text"]["body"], r.status, r.wamid, r.attempts, bool(r.sending_since)]
                  for r in OutboundMessage.objects.order_by("pk")]))
"""


@pytest.fixture
def standin() -> Iterator[GraphStandIn]:
    made, server = graph_standin.start(TOKEN)
    yield made
    made.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def instance(tmp_path: Path, standin: GraphStandIn) -> Iterator[Instance]:
    made = Instance(tmp_path / "var")
    made.env["ATIENDE_WHATSAPP_GRAPH_URL"] = standin.base_url
    made.env["ATIENDE_WHATSAPP_CLAIM_SECONDS"] = str(CLAIM_SECONDS)
    made.run("migrate", "-v0")
    made.run("shell", "-v0", "-c", SETUP)
    standin.sent.clear()  # whatever the set-up's first message caused
    yield made
    made.drop()


def rows(instance: Instance) -> list[list[object]]:
    return list(json.loads(instance.run("shell", "-v0", "-c", ROWS).strip().splitlines()[-1]))


def kill_after_meta_accepted(instance: Instance, standin: GraphStandIn) -> None:
    """Start a worker, let the stand-in accept its first send, kill the worker before the
    answer reaches it; then let the stand-in answer again as usual."""
    standin.holding = True
    worker = subprocess.Popen(instance.command("shell", "-v0", "-c", WORK), env=instance.env)
    try:
        assert standin.accepted_held.wait(120), "the worker never sent"
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(60) == -signal.SIGKILL
    finally:
        standin.holding = False
        standin.release.set()
    assert len(standin.sent) == 1


def run_worker_after_the_claim_expired(instance: Instance) -> None:
    """The periodic job, run again until the dead worker's claim has lapsed and all is sent."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        instance.run("shell", "-v0", "-c", WORK)
        if all(row[1] == "sent" for row in rows(instance)):
            return
    raise AssertionError(f"not all sent: {rows(instance)}")


def test_the_status_webhook_of_a_send_whose_answer_was_lost_marks_it_sent_and_nothing_is_sent_twice(
    instance: Instance, standin: GraphStandIn
) -> None:
    kill_after_meta_accepted(instance, standin)
    first = standin.sent[0]
    assert rows(instance)[0][1:] == ["pending", "", 0, True]  # Meta has it; the row does not know

    # Meta's "sent" status echoes the tracker: the row learns its wamid.
    status = STATUS.format(wamid=first["wamid"], tracker=first["biz_opaque_callback_data"])
    assert instance.run("shell", "-v0", "-c", status).strip().endswith("processed")
    run_worker_after_the_claim_expired(instance)

    bodies = [sent["text"]["body"] for sent in standin.sent]
    assert sorted(bodies) == ["Respuesta 0", "Respuesta 1", "Respuesta 2"]  # each exactly once
    by_wamid = {sent["wamid"]: sent["text"]["body"] for sent in standin.sent}
    for body, state, wamid, _attempts, sending in rows(instance):
        assert (state, by_wamid[str(wamid)], sending) == ("sent", body, False)


def test_without_a_status_webhook_the_interrupted_send_goes_again_once(
    instance: Instance, standin: GraphStandIn
) -> None:
    kill_after_meta_accepted(instance, standin)
    run_worker_after_the_claim_expired(instance)

    bodies = [sent["text"]["body"] for sent in standin.sent]
    assert sorted(bodies) == ["Respuesta 0", "Respuesta 0", "Respuesta 1", "Respuesta 2"]
    first, again = (sent for sent in standin.sent if sent["text"]["body"] == "Respuesta 0")
    assert first["biz_opaque_callback_data"] == again["biz_opaque_callback_data"]
    _body, state, wamid, attempts, sending = rows(instance)[0]
    assert (state, wamid, attempts, sending) == ("sent", again["wamid"], 1, False)

    # Meta's late status for the first copy changes nothing: the row keeps the copy it knows.
    status = STATUS.format(wamid=first["wamid"], tracker=first["biz_opaque_callback_data"])
    instance.run("shell", "-v0", "-c", status)
    assert rows(instance)[0][2] == again["wamid"]
