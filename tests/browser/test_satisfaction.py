"""Satisfaction as people meet it: the requester opens a face from the resolution email as
it was rendered (not signed in), sees it chosen, sends it with a comment; the portal's
one-click faces; the engineer sees the rating on the ticket; the supervisor sees it in the
dashboard. Screenshots at both widths and axe on every page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from atiende.outbox.models import OutboundEmail
from atiende.rollups.compute import roll_up_day
from atiende.satisfaction.models import Rating
from atiende.tickets import actions
from atiende.tickets.models import Status, StatusKind, Ticket
from tests.browser.conftest import check_accessibility, sign_in, sign_in_to_desk, sign_out, snap
from tests.conftest import World
from tests.factories import open_ticket

pytestmark = pytest.mark.browser


def _resolved(world: World, subject: str) -> Ticket:
    ticket = open_ticket(world.luis, world.soporte, subject=subject)
    actions.take_ticket(world.agente.user, ticket)
    actions.change_status(
        world.agente.user, ticket, Status.objects.get(kind=StatusKind.RESOLVED, is_default=True)
    )
    ticket.refresh_from_db()
    return ticket


def _face_link(ticket: Ticket, face: str) -> str:
    """The face's link in the HTML body of the requester's resolution email, as a path."""
    email = next(
        sent
        for sent in OutboundEmail.objects.filter(ticket_number=ticket.number, kind="ticket_status")
        if "luis@acme.test" in sent.to
    )
    url = re.search(rf'href="([^"]+/portal/rate/[^"]+\?face={face})"', email.body_html)
    assert url is not None, email.body_html
    parts = urlsplit(url.group(1).replace("&amp;", "&"))
    return f"{parts.path}?{parts.query}"


def test_rating_from_the_email_then_seen_by_the_desk_and_the_dashboard(page: Page, world: World) -> None:
    world.soporte.agents.add(world.supervisor)
    ticket = _resolved(world, "La impresora no imprime")

    page.goto(_face_link(ticket, "bad"))
    expect(page.get_by_role("radio", name="Insatisfecho", exact=True)).to_be_checked()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{ticket.number}")
    snap(page, "rating-from-email")
    assert not check_accessibility(page, "rating from email")
    assert not Rating.objects.exists()  # opening the link rated nothing

    page.get_by_label("Comentario (opcional)").fill("Tardaron dos días en venir.")
    page.get_by_role("button", name="Enviar mi calificación").click()
    expect(page.get_by_role("status")).to_contain_text("Gracias por su calificación")
    snap(page, "rating-saved")
    assert not check_accessibility(page, "rating saved")
    rating = Rating.objects.get(ticket=ticket)
    assert (rating.score, rating.comment) == ("bad", "Tardaron dos días en venir.")
    assert OutboundEmail.objects.filter(kind="satisfaction_low", ticket_number=ticket.number).exists()

    sign_in_to_desk(page, world.agente.user.email)
    page.goto(f"/desk/tickets/{ticket.number}/")
    expect(page.locator(".rating-card")).to_contain_text("Tardaron dos días en venir.")
    expect(page.locator(".t-rating")).to_contain_text("calificó la solución")
    expect(page.get_by_role("radio", name="Insatisfecho", exact=True)).to_have_count(0)
    snap(page, "desk-ticket-rating")
    assert not check_accessibility(page, "desk ticket rating")

    roll_up_day(timezone.localdate())
    sign_out(page)
    sign_in_to_desk(page, world.supervisor.user.email)
    page.goto("/desk/reports/?by=engineer")
    section = page.locator("section[aria-labelledby=csat-title]")
    expect(section.locator(".satisfaction-chart svg.pygal-chart, .satisfaction-chart > svg")).to_have_count(1)
    expect(section.locator("table")).to_contain_text("Agente Soporte")
    expect(section).to_contain_text("Tardaron dos días en venir.")
    snap(page, "reports-satisfaction")
    assert not check_accessibility(page, "reports satisfaction")


def test_one_click_on_the_portals_ticket_page(page: Page, world: World) -> None:
    ticket = _resolved(world, "Cambiar el tóner")

    sign_in(page, world.luis.user.email)
    page.goto(f"/portal/tickets/{ticket.number}/")
    asking = page.locator("section.rating-ask")
    expect(asking).to_contain_text("¿Qué tan satisfecho está con la solución?")
    snap(page, "portal-ticket-rating")
    assert not check_accessibility(page, "portal ticket rating")

    asking.get_by_role("button", name="Satisfecho", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Gracias por su calificación")
    assert Rating.objects.get(ticket=ticket).score == "good"

    page.goto(f"/portal/tickets/{ticket.number}/")
    expect(page.locator("section.rating-ask")).to_contain_text("Su calificación")
