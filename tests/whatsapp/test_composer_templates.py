"""Outside the 24-hour window the engineer chooses among the approved templates mapped to
replies on the number, sees each filled with the ticket's values, and sends the one chosen;
any other template is refused with a clear message and the reply is not saved."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from atiende.tickets.models import Message, MessageKind, Ticket
from atiende.whatsapp import samples
from atiende.whatsapp.models import MessageTemplate, OutboundMessage, TemplateUse, WhatsAppNumber
from tests.conftest import World
from tests.whatsapp.conftest import ANA_PHONE, Meta, received_confirmation
from tests.whatsapp.factories import whatsapp_number
from tests.whatsapp.graph_standin import GraphStandIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(meta: Meta, graph: GraphStandIn) -> Ticket:
    meta.send(samples.text(ANA_PHONE, "El VPN no conecta"))
    received_confirmation(graph)
    return Ticket.objects.get()


@pytest.fixture
def templates(number: WhatsAppNumber) -> dict[str, MessageTemplate]:
    def mapped(name: str, **values: Any) -> MessageTemplate:
        values = {"number": number, "use": TemplateUse.NEW_REPLY, "language": "es", **values}
        return MessageTemplate.objects.create(name=name, **values)

    return {
        "corta": mapped(
            "respuesta_corta", body="Hay una respuesta en su ticket #{{1}}.", parameters=["number"]
        ),
        "detalle": mapped(
            "respuesta_detalle",
            body="Hola {{1}}, sobre «{{2}}»: {{3}}",
            parameters=["name", "subject", "text"],
        ),
        "sin_aprobar": mapped("respuesta_borrador", approved=False),
        "resuelto": mapped("ticket_resuelto", use=TemplateUse.RESOLVED),
    }


@pytest.fixture
def day_later() -> Iterator[None]:
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        yield


def page(client: Client, world: World, ticket: Ticket) -> str:
    client.force_login(world.agente.user)
    response = client.get(reverse("desk:ticket", args=[ticket.number]))
    assert response.status_code == 200
    return response.content.decode()


def post(client: Client, world: World, ticket: Ticket, capture: Any, **data: str) -> Any:
    client.force_login(world.agente.user)
    with capture(execute=True):
        return client.post(
            reverse("desk:ticket-compose", args=[ticket.number]),
            {"kind": "public", "text": "Ya reiniciamos el concentrador VPN", **data},
        )


def replies(ticket: Ticket) -> int:
    return (
        Message.objects.filter(ticket=ticket, kind=MessageKind.PUBLIC, author__isnull=False)
        .exclude(author=ticket.requester.user)
        .count()
    )


def test_the_composer_offers_the_approved_reply_templates_filled_with_the_tickets_values(
    client: Client, world: World, ticket: Ticket, templates: dict[str, MessageTemplate], day_later: None
) -> None:
    html = page(client, world, ticket)
    offered = html.split('class="public-only whatsapp-templates"')[1].split("</fieldset>")[0]
    assert f'value="{templates["corta"].pk}" checked' in offered
    assert f'value="{templates["detalle"].pk}"' in offered
    assert f"Hay una respuesta en su ticket #{ticket.number}." in offered
    assert "Hola Ana, sobre «El VPN no conecta»: [su respuesta]" in offered
    assert "respuesta_borrador" not in offered  # not approved
    assert "ticket_resuelto" not in offered  # mapped to another use


def test_inside_the_window_no_template_is_offered(
    client: Client, world: World, ticket: Ticket, templates: dict[str, MessageTemplate]
) -> None:
    assert 'name="whatsapp_template"' not in page(client, world, ticket)


def test_the_chosen_template_is_the_one_sent(
    client: Client,
    world: World,
    ticket: Ticket,
    templates: dict[str, MessageTemplate],
    graph: GraphStandIn,
    day_later: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    chosen = str(templates["detalle"].pk)
    response = post(client, world, ticket, django_capture_on_commit_callbacks, whatsapp_template=chosen)
    assert response.status_code == 302
    (sent,) = graph.sent
    assert sent["template"]["name"] == "respuesta_detalle"
    assert [p["text"] for p in sent["template"]["components"][0]["parameters"]] == [
        "Ana",
        "El VPN no conecta",
        "Ya reiniciamos el concentrador VPN",
    ]


@pytest.mark.parametrize("which", ["sin_aprobar", "resuelto", "other_number", "missing", "garbage"])
def test_a_template_not_approved_for_replies_on_the_number_is_refused(
    client: Client,
    world: World,
    ticket: Ticket,
    templates: dict[str, MessageTemplate],
    graph: GraphStandIn,
    day_later: None,
    django_capture_on_commit_callbacks: Any,
    which: str,
) -> None:
    if which == "other_number":
        other = whatsapp_number(world, name="Ventas", phone_number_id="2", display_phone="+57 601 555 0200")
        forged = str(MessageTemplate.objects.create(number=other, use=TemplateUse.NEW_REPLY, name="ajena").pk)
    elif which == "missing":
        forged = "999999"
    elif which == "garbage":
        forged = "1 OR 1=1"
    else:
        forged = str(templates[which].pk)
    before = replies(ticket)
    response = post(client, world, ticket, django_capture_on_commit_callbacks, whatsapp_template=forged)
    assert response.status_code == 400
    assert "Esa plantilla de WhatsApp no está aprobada para respuestas en +57 601 555 0100" in (
        response.content.decode()
    )
    assert replies(ticket) == before  # the reply went back with the refusal
    assert graph.sent == []
    assert not OutboundMessage.objects.exists()


def test_an_oversized_template_value_is_refused_by_the_form(
    client: Client,
    world: World,
    ticket: Ticket,
    templates: dict[str, MessageTemplate],
    day_later: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    response = post(client, world, ticket, django_capture_on_commit_callbacks, whatsapp_template="9" * 5000)
    assert response.status_code == 400
    assert not OutboundMessage.objects.exists()
