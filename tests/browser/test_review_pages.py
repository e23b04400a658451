"""The monthly review as a supervisor and as a client's company-wide contact see it: the
desk's companies → months → review, the email preview and the switch; the portal's
*Revisión mensual*; screenshots at both widths and axe on each page. Last month is filled
by backdating tickets worked now (the figures are checked by hand in tests/reviews)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from atiende.reviews.models import previous_month
from atiende.rollups.compute import roll_up_days
from atiende.satisfaction.actions import rate_ticket
from atiende.satisfaction.models import Rating, Score
from atiende.sla.models import TicketSla
from atiende.tickets import actions
from atiende.tickets.models import Channel, StatusKind, Ticket
from tests.browser.conftest import check_accessibility, sign_in, sign_in_to_desk, sign_out, snap
from tests.conftest import World
from tests.factories import open_ticket
from tests.sla.conftest import colombia, policy  # noqa: F401 - the service levels the review counts

pytestmark = pytest.mark.browser


def _last_month(world: World) -> dt.date:
    month = previous_month(timezone.localdate())
    subjects = [
        "Sin internet en recepción",
        "Impresora atascada",
        "Clave del correo",
        "VPN no conecta",
        "Pantalla azul",
    ]
    for index, subject in enumerate(subjects):
        ticket = open_ticket(
            world.luis if index % 2 else world.ana,
            world.soporte,
            subject=subject,
            channel=Channel.PHONE if index == 3 else Channel.WEB,
            actor=world.supervisor.user if index == 3 else None,
        )
        actions.take_ticket(world.supervisor.user, ticket)
        actions.add_reply(world.supervisor.user, ticket, channel=Channel.WEB, text="Revisando")
        if index < 3:
            actions.change_status(world.supervisor.user, ticket, actions.default_status(StatusKind.RESOLVED))
        when = timezone.make_aware(dt.datetime.combine(month + dt.timedelta(days=3 + 4 * index), dt.time(9)))
        done = when + dt.timedelta(hours=3)
        Ticket.objects.filter(pk=ticket.pk).update(
            created_at=when,
            first_response_at=when + dt.timedelta(minutes=30),
            resolved_at=done if index < 3 else None,
        )
        TicketSla.objects.filter(ticket=ticket).update(
            started_at=when,
            first_response_met_at=when + dt.timedelta(minutes=30),
            first_response_elapsed=150 if index == 1 else 30,
            resolution_met_at=done if index < 3 else None,
            resolution_elapsed=180 if index < 3 else None,
        )
        if index < 2:
            resolved = Ticket.objects.values_list("resolved_at", flat=True).get(pk=ticket.pk)
            assert resolved is not None
            rate_ticket(
                ticket.requester.user,
                ticket,
                score=Score.GOOD if index == 0 else Score.NEUTRAL,
                comment="Muy amables" if index == 0 else "Demoró la primera respuesta",
                resolution=resolved,
                now=done + dt.timedelta(hours=1),
            )
    Rating.objects.update(
        created_at=timezone.make_aware(dt.datetime.combine(month + dt.timedelta(days=8), dt.time(12)))
    )
    roll_up_days(previous_month(month), timezone.localdate())
    return month


def test_the_monthly_review_in_the_desk_and_the_portal(page: Page, world: World, policy: object) -> None:  # noqa: F811
    month = _last_month(world)
    sign_in_to_desk(page, world.supervisor.user.email)
    page.goto("/desk/reports/reviews/")
    snap(page, "review-companies")
    assert not check_accessibility(page, "review companies")
    page.get_by_role("link", name="Acme S.A.S.").click()
    expect(page.get_by_role("heading", name="Acme S.A.S.")).to_be_visible()
    snap(page, "review-months")
    assert not check_accessibility(page, "review months")

    page.get_by_label("Enviar la revisión por correo cada mes").check()
    page.get_by_label("Ana Acme <ana@acme.test>").check()
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Se guardó el envío mensual.")).to_be_visible()

    page.get_by_role("link", name="Ver el correo antes de enviarlo").click()
    expect(page.locator(".email-preview-body")).to_contain_text("Solicitudes recibidas: 5")
    snap(page, "review-email-preview")
    assert not check_accessibility(page, "review email preview")

    page.goto(f"/desk/reports/reviews/{world.acme.pk}/{month:%Y-%m}/")
    expect(page.locator("#rv-breaches")).to_be_visible()
    expect(page.get_by_role("cell", name="Impresora atascada")).to_be_visible()
    expect(page.get_by_text("Muy amables")).to_be_visible()
    snap(page, "review-desk")
    assert not check_accessibility(page, "review desk")
    with page.expect_download(timeout=60_000) as download:  # a PDF drawn on a busy machine
        page.get_by_role("link", name="Descargar PDF").click()
    assert download.value.suggested_filename == f"revision-mensual-{world.acme.pk}-{month:%Y-%m}.pdf"
    sign_out(page)

    sign_in(page, world.ana.user.email)
    expect(page.get_by_role("link", name="Revisión mensual")).to_have_count(1)
    page.goto("/portal/review/")
    page.get_by_role("link", name=str(month.year)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Revisión mensual")
    expect(page.get_by_text("Demoró la primera respuesta")).to_be_visible()
    snap(page, "review-portal")
    assert not check_accessibility(page, "review portal")
