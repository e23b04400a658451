from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from atiende.whatsapp import samples, signatures
from atiende.whatsapp.models import WhatsAppNumber
from tests.conftest import World
from tests.whatsapp import graph_standin
from tests.whatsapp.graph_standin import GraphStandIn

SECRET = "test-app-secret"
TOKEN = "test-access-token"
ANA_PHONE = "+573001112233"


@pytest.fixture
def graph(settings: SettingsWrapper) -> Iterator[GraphStandIn]:
    standin, server = graph_standin.start(TOKEN)
    settings.ATIENDE_WHATSAPP_GRAPH_URL = standin.base_url
    yield standin
    server.shutdown()
    server.server_close()


@pytest.fixture
def number(world: World, graph: GraphStandIn) -> WhatsAppNumber:
    world.ana.whatsapp = ANA_PHONE
    world.ana.save()
    return WhatsAppNumber.objects.create(
        name="Soporte",
        display_phone="+57 601 555 0100",
        phone_number_id="1055500100",
        business_account_id="102290129340398",
        access_token=TOKEN,
        app_secret=SECRET,
        verify_token="verify-me",
        queue=world.soporte,
    )


@dataclass
class Meta:
    """Posts webhook bodies as Meta does, running what the request leaves for after commit."""

    client: Client
    number: WhatsAppNumber
    capture: Any

    def post(
        self, raw: bytes, *, secret: str = SECRET, number: WhatsAppNumber | None = None, **headers: Any
    ) -> Any:
        """Post a body signed with `secret` (pass headers to override)."""
        number = number or self.number
        signed = {"HTTP_X_HUB_SIGNATURE_256": signatures.sign(raw, secret), **headers}
        with self.capture(execute=True):
            return self.client.post(
                reverse("whatsapp:webhook", args=[number.pk]), raw, content_type="application/json", **signed
            )

    def send(self, *messages: dict[str, Any], **kwargs: Any) -> Any:
        response = self.post(samples.body(self.number.phone_number_id, messages=list(messages), **kwargs))
        assert response.status_code == 200
        return response

    def statuses(self, *statuses: dict[str, Any]) -> Any:
        response = self.post(samples.body(self.number.phone_number_id, statuses=list(statuses)))
        assert response.status_code == 200
        return response


@pytest.fixture
def meta(client: Client, number: WhatsAppNumber, django_capture_on_commit_callbacks: Any) -> Meta:
    return Meta(client, number, django_capture_on_commit_callbacks)


def received_confirmation(graph: GraphStandIn) -> dict[str, Any]:
    """The confirmation a ticket opened by WhatsApp sends back, set aside (stand-in and row)."""
    from atiende.whatsapp.models import OutboundMessage

    (sent,) = graph.sent
    assert sent["text"]["body"].startswith("Recibimos su ticket #")
    graph.sent.clear()
    OutboundMessage.objects.filter(message=None, dedupe_key__contains=":received:").delete()
    return sent
