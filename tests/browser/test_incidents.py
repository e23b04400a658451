"""Major incidents in a real browser: the desk flags a similar report and one click
attaches it, the incident page sends an update, and a contact of an affected company sees
the banner and says "me afecta" instead of writing a duplicate; at desktop and phone width,
with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from atiende.incidents import actions
from atiende.incidents.models import IncidentChild
from tests.browser.conftest import check_accessibility, sign_in, sign_out, snap
from tests.conftest import World
from tests.factories import open_ticket

pytestmark = pytest.mark.browser

MAIL = "El correo no llega a Outlook"
MAIL_TEXT = "Desde las 9:10 el correo de Outlook no recibe mensajes en toda la oficina."


def test_the_desk_flags_a_similar_report_attaches_it_and_sends_an_update(page: Page, world: World) -> None:
    first = open_ticket(world.luis, world.soporte, subject=MAIL, text=MAIL_TEXT)
    actions.declare_incident(world.agente.user, first, title="Correo caído desde las 9:10")
    second = open_ticket(world.carla, world.soporte, subject="Outlook: el correo no llega", text=MAIL_TEXT)
    sign_in(page, world.agente.user.email)
    page.goto(f"/desk/tickets/{second.number}/")
    card = page.get_by_role("region", name="Incidente mayor")
    expect(card.get_by_text(f"Posible mismo incidente que #{first.number}")).to_be_visible()
    snap(page, "incident-flag")
    check_accessibility(page, "incident-flag")
    card.get_by_role("button", name=f"Adjuntar al incidente #{first.number}").click()
    expect(page.get_by_text(f"forma parte ahora del incidente #{first.number}")).to_be_visible()
    assert IncidentChild.objects.get(ticket=second).incident.ticket == first

    page.goto("/desk/incidents/")
    page.get_by_role("link", name=re.compile("Correo caído desde las 9:10")).click()
    page.get_by_label("Actualización pública").fill("Estimamos restablecerlo antes de las 11:00.")
    page.get_by_role("button", name="Enviar actualización").click()
    expect(page.get_by_text("Actualización enviada a 2 tickets.")).to_be_visible()
    assert second.messages.filter(body_text="Estimamos restablecerlo antes de las 11:00.").exists()
    snap(page, "incident-page")
    check_accessibility(page, "incident-page")


def test_a_contact_sees_the_banner_and_says_it_affects_them(page: Page, world: World) -> None:
    first = open_ticket(world.luis, world.soporte, subject=MAIL, text=MAIL_TEXT)
    incident = actions.declare_incident(world.agente.user, first, title="Correo caído desde las 9:10")
    sign_in(page, world.carla.user.email)
    expect(page.get_by_text("Incidente conocido")).to_have_count(0)  # another company's outage
    sign_out(page)
    sign_in(page, world.ana.user.email)
    banner = page.get_by_role("status").filter(has_text="Incidente conocido: Correo caído desde las 9:10")
    expect(banner).to_be_visible()
    snap(page, "incident-banner")
    check_accessibility(page, "incident-banner")
    page.goto("/portal/tickets/new/")
    panel = page.get_by_role("complementary", name="Artículos sugeridos")
    expect(panel.get_by_text("Incidente conocido: Correo caído desde las 9:10")).to_be_visible()
    snap(page, "incident-new-ticket")
    check_accessibility(page, "incident-new-ticket")
    panel.get_by_role("button", name="Me afecta").click()
    expect(page).to_have_url(re.compile(r"/portal/tickets/\d+/"))
    expect(page.get_by_text("el incidente también le afecta")).to_be_visible()
    child = IncidentChild.objects.get(incident=incident)
    assert child.ticket.requester == world.ana
