"""The monthly summary: tickets, met, breached and medians per company and queue."""

import csv
import io

from django.urls import reverse

from atiende.sla.report import monthly_summary
from atiende.tickets import actions
from atiende.tickets.models import Channel, StatusKind
from tests.factories import PASSWORD, open_ticket
from tests.sla.conftest import bogota


def answer(ticket, agent, minute: int, *, hour: int = 9, day: int = 19, resolve: bool = False, clock) -> None:
    clock.move_to(bogota(2025, 11, day, hour, minute))
    then = actions.default_status(StatusKind.RESOLVED) if resolve else None
    actions.add_reply(agent.user, ticket, channel=Channel.WEB, text="Respuesta.", then_status=then)


def build_month(world, clock):
    """Acme/Soporte: three tickets (answered in 10, 30 and 90 min; one resolved in 2 h);
    Globex/Soporte: one answered in 20 min and resolved the next day in time."""
    fast = open_ticket(world.luis, world.soporte)
    medium = open_ticket(world.luis, world.soporte)
    late = open_ticket(world.luis, world.soporte)
    globex = open_ticket(world.carla, world.soporte)
    answer(fast, world.agente, 10, clock=clock)
    answer(globex, world.agente, 20, clock=clock)
    answer(medium, world.agente, 30, clock=clock)
    answer(late, world.agente, 30, hour=10, clock=clock)
    answer(fast, world.agente, 0, hour=11, resolve=True, clock=clock)
    answer(globex, world.agente, 30, hour=8, day=20, resolve=True, clock=clock)
    # Opened in October: not in November's summary.
    clock.move_to(bogota(2025, 10, 31, 16, 0))
    open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 20, 8, 45))


def test_the_summary_counts_and_medians_per_company_and_queue(world, policy, clock):
    build_month(world, clock)
    acme, globex, total = monthly_summary(2025, 11)
    assert (acme.company, acme.queue) == ("Acme S.A.S.", "Soporte")
    assert (acme.tickets, acme.met, acme.breached) == (3, 1, 1)
    assert sorted(acme.first_responses) == [10, 30, 90]
    assert acme.median_first_response == 30
    assert acme.median_resolution == 120
    assert (globex.tickets, globex.met, globex.breached) == (1, 1, 0)
    # 9:00 Wednesday to 8:30 Thursday: 8 business hours less 30 minutes.
    assert globex.median_resolution == 8 * 60 - 30
    assert (total.tickets, total.met, total.breached) == (4, 2, 1)
    assert total.median_first_response == 25
    # Still open on Thursday at noon: the medium ticket's resolution (due Thursday 9:00) is
    # late too, so it counts as breached from then on.
    assert monthly_summary(2025, 11, now=bogota(2025, 11, 20, 12, 0))[0].breached == 2


def test_an_empty_month_has_no_rows(world, policy, clock):
    assert monthly_summary(2025, 11) == []


def test_the_csv_has_the_same_numbers(client, world, policy, clock):
    build_month(world, clock)
    client.login(email=world.supervisor.user.email, password=PASSWORD)
    response = client.get(reverse("reports:sla-report-csv") + "?month=2025-11")
    assert response["Content-Disposition"] == 'attachment; filename="sla-2025-11.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["Acme S.A.S.", "Soporte", "3", "1", "1", "30", "120"]
    assert rows[2] == ["Globex Ltda.", "Soporte", "1", "1", "0", "20", "450"]
    assert rows[3][2:5] == ["4", "2", "1"]
    page = client.get(reverse("reports:sla-report") + "?month=2025-11").content.decode()
    assert "Acme S.A.S." in page and "Globex Ltda." in page
