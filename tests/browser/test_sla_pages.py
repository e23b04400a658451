"""Service levels as people see them: the SLA card on the desk's ticket page, the badges
in the inbox, *En riesgo*, and the plain-words promise on the portal's ticket page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from atiende.sla import timers
from atiende.sla.models import Calendar, SlaPolicy, WorkingHours
from atiende.tickets.models import HistoryEvent, Message, Ticket
from tests.browser.conftest import check_accessibility, forget_session, sign_in, sign_in_to_desk, snap
from tests.conftest import World
from tests.factories import open_ticket

pytestmark = pytest.mark.browser


def around_the_clock(world: World) -> None:
    """A calendar open every hour of every day, so the test does not depend on when it runs."""
    calendar = Calendar.objects.create(name="24/7", time_zone="America/Bogota", country="CO", is_default=True)
    for day in range(7):
        WorkingHours.objects.create(calendar=calendar, weekday=day, starts=dt.time(0), ends=dt.time(0))
    calendar.queues.add(world.soporte)
    SlaPolicy.objects.create(
        name="Estándar", first_response_minutes=60, resolution_minutes=8 * 60, warning_percent=80
    )


def opened_hours_ago(world: World, hours: int, subject: str) -> Ticket:
    ticket = open_ticket(world.luis, world.soporte, subject=subject)
    then = timezone.now() - dt.timedelta(hours=hours)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=then, last_activity_at=then)
    Message.objects.filter(ticket=ticket).update(created_at=then)
    HistoryEvent.objects.filter(ticket=ticket).update(created_at=then)
    ticket.refresh_from_db()
    timers.replay(ticket)
    return ticket


def test_sla_state_on_the_desk_and_the_portal(page: Page, world: World) -> None:
    around_the_clock(world)
    fresh = open_ticket(world.luis, world.soporte, subject="La VPN no conecta desde casa")
    late = opened_hours_ago(world, 3, "El servidor de archivos no responde")

    sign_in_to_desk(page, world.agente.user.email)
    page.goto("/desk/unassigned/")
    expect(page.locator(".sla-badge.sla-breached").first).to_be_visible()
    snap(page, "desk-inbox-sla")

    page.goto(f"/desk/tickets/{late.number}/")
    card = page.locator(".sla-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Estándar")
    snap(page, "desk-ticket-sla-breached")
    assert not check_accessibility(page, "desk ticket with SLA")

    page.goto("/desk/sla/")
    expect(page.get_by_text(late.subject)).to_be_visible()
    snap(page, "desk-sla-at-risk")

    forget_session(page)
    sign_in(page, world.luis.user.email)
    page.goto(f"/portal/tickets/{fresh.number}/")
    promise = page.locator(".sla-promise")
    expect(promise).to_be_visible()
    expect(promise).to_contain_text("Le responderemos antes del")
    assert "SLA" not in promise.inner_text()
    snap(page, "portal-ticket-sla-promise")
