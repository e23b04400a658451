"""A send whose answer was lost is recognised by the tracker Meta echoes in its status
webhooks (`biz_opaque_callback_data`); a tracker never moves a message it does not name
exactly (same number, same recipient, no wamid yet)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from atiende.tickets.models import Ticket
from atiende.whatsapp import outbound, samples
from atiende.whatsapp.models import OutboundMessage, OutboundStatus, WhatsAppNumber
from atiende.whatsapp.tasks import deliver_due
from tests.conftest import World
from tests.whatsapp.conftest import ANA_PHONE, Meta, received_confirmation
from tests.whatsapp.factories import whatsapp_number
from tests.whatsapp.graph_standin import GraphStandIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_flight(meta: Meta, graph: GraphStandIn, number: WhatsAppNumber) -> OutboundMessage:
    """A reply a worker claimed and handed to Meta, then died before reading the answer."""
    meta.send(samples.text(ANA_PHONE, "El VPN no conecta"))
    received_confirmation(graph)
    return OutboundMessage.objects.create(
        number=number,
        ticket=Ticket.objects.get(),
        to=ANA_PHONE,
        kind="text",
        payload={"type": "text", "text": {"body": "Reinicie el cliente"}},
        dedupe_key="in-flight",
        sending_since=timezone.now(),
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1),  # the claim expired
    )


def test_the_sent_status_with_our_tracker_records_the_send_and_nothing_goes_again(
    meta: Meta, graph: GraphStandIn, in_flight: OutboundMessage
) -> None:
    meta.statuses(samples.status("wamid.LOST", "delivered", ANA_PHONE, tracker=outbound.tracker(in_flight)))
    in_flight.refresh_from_db()
    assert (in_flight.status, in_flight.wamid, in_flight.sending_since) == (
        OutboundStatus.DELIVERED,
        "wamid.LOST",
        None,
    )
    deliver_due()
    assert graph.sent == []


@pytest.mark.parametrize(
    "forgery", ["another_recipient", "not_a_row", "garbage", "another_number", "known_wamid"]
)
def test_a_tracker_that_does_not_name_the_message_exactly_changes_nothing(
    world: World, meta: Meta, graph: GraphStandIn, in_flight: OutboundMessage, forgery: str
) -> None:
    tracker, recipient, number = outbound.tracker(in_flight), ANA_PHONE, meta.number
    if forgery == "another_recipient":
        recipient = "+573009998877"
    elif forgery == "not_a_row":
        tracker = f"{outbound.TRACKER_PREFIX}{in_flight.pk + 1000}"
    elif forgery == "garbage":
        tracker = f"{outbound.TRACKER_PREFIX}{in_flight.pk} OR 1=1"
    elif forgery == "another_number":
        number = whatsapp_number(world, name="Ventas", phone_number_id="2", app_secret="otro-secreto")
    else:
        OutboundMessage.objects.filter(pk=in_flight.pk).update(wamid="wamid.KNOWN")
    raw = samples.body(
        number.phone_number_id, statuses=[samples.status("wamid.X", "read", recipient, tracker=tracker)]
    )
    assert meta.post(raw, number=number, secret=number.app_secret).status_code == 200
    in_flight.refresh_from_db()
    assert in_flight.status == OutboundStatus.PENDING
    assert in_flight.wamid in {"", "wamid.KNOWN"}
