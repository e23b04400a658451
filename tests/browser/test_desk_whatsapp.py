"""WhatsApp in a real browser: a message arrives, the agent sees it in the inbox with the
channel's icon, answers, and the Graph API stand-in receives the reply; outside the
24-hour window the composer offers only the approved templates, previewed, and sends the
one chosen."""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from atiende.tickets.models import Ticket
from atiende.whatsapp import samples, signatures
from atiende.whatsapp.models import InboundMessage, MessageTemplate, TemplateUse
from tests.browser.conftest import check_accessibility, sign_in_to_desk, snap
from tests.conftest import World
from tests.whatsapp import graph_standin
from tests.whatsapp.factories import held_message, whatsapp_number

pytestmark = pytest.mark.browser
ANA_PHONE = "+573001112233"


@pytest.fixture
def graph(settings: Settings) -> Iterator[graph_standin.GraphStandIn]:
    standin, server = graph_standin.start("test-access-token")
    settings.ATIENDE_WHATSAPP_GRAPH_URL = standin.base_url
    yield standin
    server.shutdown()
    server.server_close()


def wait_for(condition: Any, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.1)


def test_a_whatsapp_message_is_answered_from_the_desk(
    page: Page, world: World, live_server: Any, graph: graph_standin.GraphStandIn
) -> None:
    number = whatsapp_number(world)
    world.ana.whatsapp = ANA_PHONE
    world.ana.save()
    raw = samples.body(
        number.phone_number_id, messages=[samples.text(ANA_PHONE, "El VPN no conecta desde casa")]
    )
    response = httpx.post(
        f"{live_server.url}/whatsapp/{number.pk}/webhook/",
        timeout=120,
        content=raw,
        headers={
            "X-Hub-Signature-256": signatures.sign(raw, "test-app-secret"),
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 200
    wait_for(lambda: Ticket.objects.exists())
    ticket = Ticket.objects.get()
    wait_for(lambda: len(graph.sent) == 1)  # the received confirmation, with the number
    assert graph.sent[0]["text"]["body"].startswith(f"Recibimos su ticket #{ticket.number}")

    sign_in_to_desk(page, "agente@atiende.test")
    page.goto("/desk/unassigned/")
    row = page.locator("tr", has_text="El VPN no conecta desde casa")
    expect(row.locator("svg.icon-whatsapp")).to_be_visible()
    snap(page, "desk-whatsapp-inbox")
    row.get_by_role("link", name="El VPN no conecta desde casa").click()

    expect(page.locator("#whatsapp-window")).to_contain_text("También se envía por WhatsApp a +573001112233")
    form = page.locator("form#composer")
    form.get_by_role("radio", name="Respuesta pública", exact=True).check()
    form.get_by_label("Texto", exact=True).fill("Reinicie el cliente VPN y pruebe de nuevo")
    form.get_by_role("button", name="Enviar", exact=True).click()
    wait_for(lambda: len(graph.sent) == 2)
    assert graph.sent[1]["text"]["body"] == "Reinicie el cliente VPN y pruebe de nuevo"
    assert graph.sent[1]["to"] == "573001112233"
    page.reload()
    expect(page.locator(".t-deliveries", has_text="WhatsApp")).to_contain_text(
        "Enviado por WhatsApp a +573001112233"
    )
    snap(page, "desk-whatsapp-ticket")
    check_accessibility(page, "desk-whatsapp-ticket")

    # A day later the window is closed: only an approved template can go, the agent's choice.
    for name, body in (
        ("nueva_respuesta", "Hay una nueva respuesta en su ticket #{{1}}."),
        ("respuesta_con_texto", "Hola {{1}}, sobre su ticket #{{2}}: {{3}}"),
    ):
        MessageTemplate.objects.create(
            number=number,
            use=TemplateUse.NEW_REPLY,
            name=name,
            body=body,
            parameters=["number"] if "{{2}}" not in body else ["name", "number", "text"],
        )
    InboundMessage.objects.update(sent_at=timezone.now() - datetime.timedelta(hours=25))
    page.goto(f"/desk/tickets/{ticket.number}/")
    expect(page.locator("#whatsapp-window")).to_contain_text(
        "solo recibe la plantilla aprobada que usted elija"
    )
    choices = page.get_by_role("group", name="Plantilla de WhatsApp")
    expect(choices).to_contain_text(f"Hay una nueva respuesta en su ticket #{ticket.number}.")
    expect(choices).to_contain_text(f"Hola Ana, sobre su ticket #{ticket.number}: [su respuesta]")
    choices.get_by_role("radio", name="respuesta_con_texto").check()
    form.get_by_label("Texto", exact=True).fill("Ya quedó el VPN")
    form.get_by_role("button", name="Enviar", exact=True).click()
    expect(page.locator(".t-deliveries").last).to_contain_text("(plantilla)")
    wait_for(lambda: len(graph.sent) == 3)
    page.goto(f"/desk/tickets/{ticket.number}/")
    snap(page, "desk-whatsapp-window-closed")
    check_accessibility(page, "desk-whatsapp-window-closed")
    assert graph.sent[2]["template"]["name"] == "respuesta_con_texto"
    assert graph.sent[2]["template"]["components"][0]["parameters"][2] == {
        "type": "text",
        "text": "Ya quedó el VPN",
    }


def test_an_unknown_number_is_identified_from_the_desk(page: Page, world: World) -> None:
    held_message(world, text="No me llega el correo")
    sign_in_to_desk(page, "agente@atiende.test")
    page.get_by_role("link", name="Sin identificar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Números de WhatsApp sin identificar")
    snap(page, "desk-whatsapp-unidentified")
    check_accessibility(page, "desk-whatsapp-unidentified")
    page.locator(".pick-list a").first.click()
    expect(page.locator(".held-messages")).to_contain_text("No me llega el correo")
    page.get_by_role("search").get_by_label("Nombre, correo o teléfono").fill("Luis")
    page.get_by_role("search").get_by_role("button", name="Buscar").click()
    snap(page, "desk-whatsapp-identify")
    check_accessibility(page, "desk-whatsapp-identify")
    page.get_by_role("button", name="Es Luis Acme").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("No me llega el correo")
