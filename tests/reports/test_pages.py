"""The report pages as people use them, and as the wrong people try them."""

import io

import openpyxl
from django.urls import reverse

from atiende.rollups.compute import roll_up_days
from atiende.tickets import actions
from atiende.tickets.models import Channel, StatusKind
from tests.factories import PASSWORD, open_ticket
from tests.reports.test_dashboard_figures import FRIDAY, THURSDAY

PERIOD = "?from=2025-11-14&to=2025-11-20"


def sign_in(client, person):
    client.login(email=person.user.email, password=PASSWORD)


def test_a_supervisor_sees_the_dashboard_with_charts_and_their_tables(client, world, story):
    sign_in(client, world.supervisor)
    page = client.get(reverse("reports:dashboard") + PERIOD + "&by=channel").content.decode()
    assert page.count('<svg aria-hidden="true"') == 3
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "<style" not in svg and "<script" not in svg and 'style="' not in svg
    assert "Phone" in page or "Teléfono" in page
    assert 'class="report-table"' in page


def test_the_excel_download_holds_the_same_figures(client, world, story):
    sign_in(client, world.supervisor)
    response = client.get(reverse("reports:dashboard-xlsx") + PERIOD + "&by=queue")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    total = next(row for row in rows if row[0] == "Total")
    assert total[1] == 4 and total[2] == 2  # opened, resolved


def test_agents_and_contacts_never_open_the_dashboard(client, world, story):
    for person in (world.agente, world.luis, world.carla):
        client.logout()
        sign_in(client, person)
        assert client.get(reverse("reports:dashboard")).status_code == 404
        assert client.get(reverse("reports:dashboard-xlsx")).status_code == 404
    client.logout()
    assert client.get(reverse("reports:dashboard")).status_code == 302


def test_unreadable_filters_fall_back_instead_of_failing(client, world, story):
    sign_in(client, world.supervisor)
    hostile = (
        "?from=2025-13-40&to=x&queue=-1&company=99999999999999&channel=<script>&by=password&engineer=1e9"
    )
    response = client.get(reverse("reports:dashboard") + hostile)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_a_filter_on_another_queue_shows_nothing_of_this_one(client, world, story):
    sign_in(client, world.supervisor)
    page = client.get(
        reverse("reports:dashboard") + PERIOD + f"&queue={world.redes.id}&by=queue"
    ).content.decode()
    assert "No tickets in this period" not in page  # C is in Redes
    board_total = page.split('class="kpis"')[1].split("</li>")[0]
    assert "<strong>1</strong>" in board_total


def test_the_workload_counts_open_waiting_and_this_weeks_time(client, world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    actions.take_ticket(world.agente.user, ticket)
    pending = actions.default_status(StatusKind.PENDING)
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="¿Foto?", then_status=pending)
    actions.add_time_entry(world.agente.user, ticket, minutes=25)
    other = open_ticket(world.ana, world.redes)
    actions.take_ticket(world.otro.user, other)
    sign_in(client, world.agente)
    page = client.get(reverse("reports:workload")).content.decode()
    table = page.split('class="report-table"')[1].split("</table>")[0]
    row = table.split("<tbody>")[1].split("</tr>")[0]
    assert world.agente.user.get_full_name() in row
    assert [cell.split(">")[-1] for cell in row.split("</td>")[:4]] == ["1", "0", "1", "25 min"]
    assert table.count("<tr>") == 2  # Redes is not the agent's queue: its engineer is not listed
    client.logout()
    sign_in(client, world.luis)
    assert client.get(reverse("reports:workload")).status_code == 404


def test_the_daily_job_feeds_what_the_dashboard_shows(client, world, policy, clock):
    open_ticket(world.luis, world.soporte)
    roll_up_days(FRIDAY, THURSDAY)
    sign_in(client, world.supervisor)
    page = client.get(reverse("reports:dashboard") + "?from=2025-11-19&to=2025-11-19").content.decode()
    assert "<strong>1</strong>" in page.split('class="kpis"')[1].split("</li>")[0]
