"""What engineers see of WhatsApp in the desk: the channel's icon in the inbox, where a
reply goes and whether the window is open, and each message's delivery."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from atiende.tickets import actions
from atiende.tickets.models import Channel, Ticket
from atiende.whatsapp import samples
from atiende.whatsapp.models import MessageTemplate, OutboundMessage, TemplateUse
from tests.conftest import World
from tests.whatsapp.conftest import ANA_PHONE, Meta, received_confirmation
from tests.whatsapp.graph_standin import GraphStandIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(meta: Meta, graph: GraphStandIn) -> Ticket:
    """A ticket Ana opened by WhatsApp; its received confirmation is tested in
    test_stage_notices.py and set aside here, so each test sees only its own sends."""
    meta.send(samples.text(ANA_PHONE, "El VPN no conecta"))
    received_confirmation(graph)
    return Ticket.objects.get()


def page(client: Client, world: World, ticket: Ticket) -> str:
    client.force_login(world.agente.user)
    response = client.get(reverse("desk:ticket", args=[ticket.number]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_inbox_marks_whatsapp_tickets_with_the_icon(client: Client, world: World, ticket: Ticket) -> None:
    client.force_login(world.agente.user)
    html = client.get(reverse("desk:unassigned")).content.decode()
    assert 'class="icon icon-whatsapp"' in html


def test_the_composer_says_the_window_is_open(client: Client, world: World, ticket: Ticket) -> None:
    html = page(client, world, ticket)
    assert "También se envía por WhatsApp a +573001112233" in html


def test_outside_the_window_the_composer_offers_only_the_template(
    client: Client, world: World, ticket: Ticket, meta: Meta
) -> None:
    MessageTemplate.objects.create(number=meta.number, use=TemplateUse.NEW_REPLY, name="nueva_respuesta")
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        html = page(client, world, ticket)
    assert "solo recibe la plantilla aprobada que usted elija abajo" in html
    assert 'name="whatsapp_template"' in html


def test_outside_the_window_without_a_template_the_composer_says_nothing_goes(
    client: Client, world: World, ticket: Ticket
) -> None:
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        html = page(client, world, ticket)
    assert "no hay plantilla para nuevas respuestas" in html


def test_a_ticket_of_another_channel_says_nothing_of_whatsapp(
    client: Client, world: World, meta: Meta
) -> None:
    by_web = actions.open_ticket(
        world.luis.user,
        channel=Channel.WEB,
        organization=world.acme,
        requester=world.luis,
        queue=world.soporte,
        subject="Por el portal",
        text="Hola",
    )
    assert "WhatsApp" not in page(client, world, by_web).split('id="composer"')[1].split("</form>")[0]


def test_each_reply_shows_its_whatsapp_delivery(
    client: Client, world: World, ticket: Ticket, meta: Meta, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Reinicie el cliente")
    row = OutboundMessage.objects.get()
    assert "Enviado por WhatsApp a +573001112233" in page(client, world, ticket)
    meta.statuses(samples.status(row.wamid, "read", ANA_PHONE))
    assert "Leído en WhatsApp por +573001112233" in page(client, world, ticket)
