"""Satisfaction in the dashboard: by engineer, queue, company and category, the chart with
its table beside it, the requesters' comments, and the same figures in the Excel."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from atiende.rollups.compute import roll_up_day
from atiende.satisfaction.actions import rate_ticket
from atiende.tickets import actions
from tests.factories import PASSWORD, open_ticket
from tests.satisfaction.conftest import resolve


@pytest.fixture
def rated(world):
    """Three of Luis's tickets in Soporte (two by Agente) and Carla's in Redes, rated."""
    faces = [
        ("good", world.luis, world.soporte, world.agente, ""),
        ("bad", world.luis, world.soporte, world.agente, "Tardaron dos días"),
        ("neutral", world.luis, world.soporte, None, ""),
        ("good", world.carla, world.redes, world.otro, "Excelente"),
    ]
    for score, contact, queue, agent, comment in faces:
        ticket = open_ticket(contact, queue)
        if agent is not None:
            actions.assign_ticket(agent.user, ticket, agent)
        resolve((agent or world.agente).user, ticket)
        assert ticket.resolved_at is not None
        rate_ticket(contact.user, ticket, score=score, comment=comment, resolution=ticket.resolved_at)
    roll_up_day(timezone.localdate())


def _dashboard(client, world, by):
    client.login(email=world.supervisor.user.email, password=PASSWORD)
    return client.get(reverse("reports:dashboard") + f"?by={by}").content.decode()


def _row(page, label):
    section = page.split('id="csat-title"', 1)[1].split("</table>", 1)[0]
    row = section.split(f'<th scope="row">{label}</th>', 1)[1].split("</tr>", 1)[0]
    return [cell.split(">", 1)[1].split("<", 1)[0].strip() for cell in row.split("<td")[1:]]


def test_satisfaction_by_queue_and_engineer_with_chart_and_table(client, world, rated):
    page = _dashboard(client, world, "queue")
    assert "Satisfacción por Cola" in page
    assert 'class="chart satisfaction-chart"><svg aria-hidden="true"' in page
    assert _row(page, "Soporte")[:3] == ["1", "1", "1"]
    assert _row(page, "Redes")[:3] == ["1", "0", "0"]
    assert _row(page, "Total")[:3] == ["2", "1", "1"]

    by_engineer = _dashboard(client, world, "engineer")
    assert _row(by_engineer, "Agente Soporte")[:3] == ["1", "0", "1"]
    assert _row(by_engineer, "Sin asignar")[:3] == ["0", "1", "0"]


def test_by_company_and_category_split_the_same_ratings(client, world, rated):
    assert _row(_dashboard(client, world, "company"), "Acme S.A.S.")[:3] == ["1", "1", "1"]
    assert _row(_dashboard(client, world, "company"), "Globex Ltda.")[:3] == ["1", "0", "0"]
    assert _row(_dashboard(client, world, "category"), "Total")[:3] == ["2", "1", "1"]


def test_the_comments_show_the_unsatisfied_first_and_follow_the_filters(client, world, rated):
    page = _dashboard(client, world, "queue")
    assert page.index("Tardaron dos días") < page.index("Excelente")

    only_redes = client.get(reverse("reports:dashboard") + f"?queue={world.redes.pk}").content.decode()
    assert "Excelente" in only_redes and "Tardaron dos días" not in only_redes


def test_the_excel_holds_the_faces(client, world, rated):
    client.login(email=world.supervisor.user.email, password=PASSWORD)
    response = client.get(reverse("reports:dashboard-xlsx") + "?by=queue")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = rows[0]
    total = next(row for row in rows if row[0] == "Total")
    figures = dict(zip(header, total, strict=False))
    assert (figures["Satisfecho"], figures["Ni satisfecho ni insatisfecho"], figures["Insatisfecho"]) == (
        2,
        1,
        1,
    )
    assert figures["Satisfacción (%)"] == 50
