"""The reports as a supervisor sees them: the dashboard with its charts drawn under our
Content-Security-Policy (any refused inline style or script fails the test through the
browser log), the tables beside them, the workload; screenshots and axe at both widths."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from atiende.rollups.compute import roll_up_days
from atiende.tickets import actions
from atiende.tickets.models import Channel, StatusKind
from tests.browser.conftest import check_accessibility, sign_in_to_desk, snap
from tests.conftest import World
from tests.factories import open_ticket

pytestmark = pytest.mark.browser


def test_the_dashboard_and_the_workload(page: Page, world: World) -> None:
    for index in range(4):
        ticket = open_ticket(world.luis, world.soporte if index % 2 else world.redes, subject=f"Caso {index}")
        actions.take_ticket(world.supervisor.user, ticket)
        actions.add_reply(world.supervisor.user, ticket, channel=Channel.WEB, text="Listo")
        if index < 2:
            actions.change_status(world.supervisor.user, ticket, actions.default_status(StatusKind.RESOLVED))
    today = timezone.localdate()
    roll_up_days(today - dt.timedelta(days=29), today)

    sign_in_to_desk(page, world.supervisor.user.email)
    page.goto("/desk/reports/")
    expect(page.locator(".kpis")).to_contain_text("4")
    expect(page.locator(".chart svg")).to_have_count(3)
    page.locator("details.chart-table summary").first.click()
    expect(page.locator("details.chart-table table").first).to_be_visible()
    snap(page, "reports-dashboard")
    assert not check_accessibility(page, "reports dashboard")

    page.get_by_label("Desglosar por").select_option("channel")
    page.get_by_role("button", name="Mostrar").click()
    expect(page).to_have_url(re.compile(r"by=channel"))

    page.goto("/desk/reports/workload/")
    expect(page.locator(".report-table")).to_contain_text(world.supervisor.user.get_full_name())
    snap(page, "reports-workload")
    assert not check_accessibility(page, "reports workload")
