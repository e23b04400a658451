"""`atiende whatsapp send-test` posts a signed webhook to the running installation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from atiende.tickets.models import Ticket
from atiende.whatsapp.models import WebhookDelivery
from tests.conftest import World
from tests.whatsapp.factories import whatsapp_number


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_message_becomes_a_ticket(world: World, live_server: Any) -> None:
    whatsapp_number(world)
    world.ana.whatsapp = "+573001112233"
    world.ana.save()
    call_command("whatsapp", "send-test", "+57 300 111 2233", "No me abre el correo", url=live_server.url)
    ticket = Ticket.objects.get()
    assert ticket.requester == world.ana
    assert ticket.subject == "No me abre el correo"
    assert WebhookDelivery.objects.get().status == "processed"


@pytest.mark.django_db
def test_it_says_what_is_wrong(world: World) -> None:
    with pytest.raises(CommandError, match="No active WhatsApp number"):
        call_command("whatsapp", "send-test", "+573001112233", "Hola")
    whatsapp_number(world)
    with pytest.raises(CommandError, match="Not a phone number"):
        call_command("whatsapp", "send-test", "abc", "Hola")
    with pytest.raises(CommandError, match="did not answer"):
        call_command("whatsapp", "send-test", "+573001112233", "Hola", url="http://127.0.0.1:9")
