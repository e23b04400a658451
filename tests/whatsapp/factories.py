from __future__ import annotations

import datetime

from django.utils import timezone

from atiende.whatsapp import samples
from atiende.whatsapp.models import InboundMessage, InboundState, WebhookDelivery, WhatsAppNumber
from tests.conftest import World


def whatsapp_number(world: World, **values: object) -> WhatsAppNumber:
    defaults: dict[str, object] = {
        "name": "Soporte",
        "display_phone": "+57 601 555 0100",
        "phone_number_id": "1055500100",
        "access_token": "test-access-token",
        "app_secret": "test-app-secret",
        "verify_token": "verify-me",
        "queue": world.soporte,
    }
    return WhatsAppNumber.objects.create(**{**defaults, **values})


def held_message(
    world: World, phone: str = "+573009998877", text: str = "Hola, ¿me ayudan?"
) -> InboundMessage:
    """A message from a number nobody has, held for an agent (as the webhook leaves it)."""
    number = WhatsAppNumber.objects.filter(queue=world.soporte).first() or whatsapp_number(world)
    item = samples.text(phone, text)
    raw = samples.body(number.phone_number_id, messages=[item])
    delivery = WebhookDelivery.objects.create(
        number=number, raw=raw, sha256=item["id"][-64:], status="processed"
    )
    return InboundMessage.objects.create(
        wamid=item["id"],
        number=number,
        delivery=delivery,
        phone=phone,
        profile_name="Pedro Pérez",
        kind="text",
        payload=item,
        sent_at=timezone.now() - datetime.timedelta(minutes=5),
        state=InboundState.HELD,
    )
