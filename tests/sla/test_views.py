"""The SLA on the pages: the desk ticket card, the inbox column, the portal's promise, the
at-risk view (only tickets the agent may see, constant queries) and who may open it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from atiende.tickets import actions
from atiende.tickets.models import Channel, StatusKind
from tests.factories import PASSWORD, open_ticket
from tests.sla.conftest import bogota


def sign_in(client, person):
    client.login(email=person.user.email, password=PASSWORD)


def test_the_desk_ticket_page_shows_each_target_and_its_state(client, world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 9, 50))
    sign_in(client, world.agente)
    page = client.get(reverse("desk:ticket", args=[ticket.number])).content.decode()
    assert 'class="ws-card sla-card"' in page
    assert 'class="sla-badge sla-at_risk"' in page
    assert "10 min" in page  # left of the first response
    assert "Estándar" in page and "Colombia" in page


def test_the_inbox_shows_the_time_left(client, world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    actions.take_ticket(world.agente.user, ticket)
    clock.move_to(bogota(2025, 11, 19, 10, 15))
    sign_in(client, world.agente)
    page = client.get(reverse("desk:home")).content.decode()
    assert 'class="sla-badge sla-breached"' in page
    assert "15 min" in page


def test_the_portal_promises_a_reply_in_plain_words(client, world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    sign_in(client, world.luis)
    with translation.override("es"):
        page = client.get(reverse("portal:ticket-detail", args=[ticket.number]), HTTP_ACCEPT_LANGUAGE="es")
    text = page.content.decode()
    assert 'class="sla-promise"' in text
    promise = text.split('class="sla-promise"')[1].split("</p>")[0]
    assert "miércoles 19" in promise and "noviembre" in promise and "10:00" in promise, promise
    assert "SLA" not in text.split('class="sla-promise"')[1].split("</p>")[0]


def test_the_portal_tells_the_resolution_date_once_answered(client, world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    clock.move_to(bogota(2025, 11, 19, 9, 30))
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Lo revisamos.")
    sign_in(client, world.luis)
    client.cookies["django_language"] = "en"
    user = world.luis.user
    user.language = "en"
    user.save()
    text = client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode()
    assert "Resolution expected before Thursday 20 November, 09:00." in text


def test_the_portal_promises_nothing_while_waiting_on_the_customer(client, world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    actions.add_reply(
        world.agente.user,
        ticket,
        channel=Channel.WEB,
        text="¿Nos confirma el modelo?",
        then_status=actions.default_status(StatusKind.PENDING),
    )
    sign_in(client, world.luis)
    text = client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode()
    assert 'class="sla-promise"' not in text


def test_the_at_risk_view_lists_only_tickets_the_agent_may_see(client, world, policy, clock):
    at_risk = open_ticket(world.luis, world.soporte, subject="Sin correo en soporte")
    in_redes = open_ticket(world.luis, world.redes, subject="Caída de la red")
    from atiende.sla.models import TicketSla

    redes_sla = TicketSla.objects.get(ticket=at_risk)
    TicketSla.objects.filter(ticket=in_redes).update(
        first_response_warn_at=redes_sla.first_response_warn_at,
        first_response_due_at=redes_sla.first_response_due_at,
        next_due_at=redes_sla.next_due_at,
    )
    relaxed = open_ticket(world.luis, world.soporte, subject="Pregunta tranquila")
    actions.add_reply(world.agente.user, relaxed, channel=Channel.WEB, text="Hola.")
    clock.move_to(bogota(2025, 11, 19, 9, 55))

    sign_in(client, world.agente)
    page = client.get(reverse("reports:at-risk")).content.decode()
    assert "Sin correo en soporte" in page
    assert "Caída de la red" not in page  # another queue's
    assert "Pregunta tranquila" not in page  # answered, resolution far away
    sign_in(client, world.supervisor)
    page = client.get(reverse("reports:at-risk")).content.decode()
    assert "Sin correo en soporte" in page and "Caída de la red" in page


def test_the_at_risk_view_sorts_by_time_left(client, world, policy, clock):
    first = open_ticket(world.luis, world.soporte, subject="Primero en vencer")
    clock.move_to(bogota(2025, 11, 19, 9, 10))
    second = open_ticket(world.luis, world.soporte, subject="Segundo en vencer")
    clock.move_to(bogota(2025, 11, 19, 10, 5))
    sign_in(client, world.agente)
    page = client.get(reverse("reports:at-risk")).content.decode()
    assert page.index(first.subject) < page.index(second.subject)
    page = client.get(reverse("reports:at-risk") + "?sort=-time_left").content.decode()
    assert page.index(second.subject) < page.index(first.subject)


def test_the_at_risk_view_is_for_agents_only(client, world, policy):
    sign_in(client, world.luis)
    assert client.get(reverse("reports:at-risk")).status_code == 404
    client.logout()
    assert client.get(reverse("reports:at-risk")).status_code == 302


@pytest.mark.parametrize("count", [3])
def test_the_at_risk_view_runs_a_constant_number_of_queries(
    client, world, policy, clock, django_assert_max_num_queries, count
):
    sign_in(client, world.supervisor)

    def measure(tickets: int) -> int:
        for _ in range(tickets):
            open_ticket(world.luis, world.soporte)
        clock.move_to(bogota(2025, 11, 19, 11, 0))
        client.get(reverse("reports:at-risk"))  # warms the calendar cache
        with django_assert_max_num_queries(30) as queries:
            response = client.get(reverse("reports:at-risk"))
        assert response.status_code == 200
        clock.move_to(bogota(2025, 11, 19, 9, 0))
        return len(queries.captured_queries)

    few = measure(count)
    many = measure(4 * count)
    assert many == few


@pytest.mark.parametrize("person", ["supervisor", "admin"])
def test_supervisors_and_admins_open_the_monthly_summary(client, world, person):
    sign_in(client, getattr(world, person))
    assert client.get(reverse("reports:sla-report")).status_code == 200
    assert client.get(reverse("reports:sla-report-csv")).status_code == 200


@pytest.mark.parametrize("person", ["agente", "luis"])
def test_agents_and_contacts_do_not_see_the_monthly_summary(client, world, person):
    sign_in(client, getattr(world, person))
    assert client.get(reverse("reports:sla-report")).status_code == 404
    assert client.get(reverse("reports:sla-report-csv")).status_code == 404


def test_a_closed_ticket_promises_nothing_and_reads_no_clocks_apart(client, world, policy, clock):
    ticket = open_ticket(world.luis, world.soporte)
    actions.close_ticket(world.agente.user, ticket)
    sign_in(client, world.luis)

    with CaptureQueriesContext(connection) as captured:
        text = client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode()

    assert 'class="sla-promise"' not in text
    assert not any('FROM "sla_ticketsla"' in query["sql"] for query in captured.captured_queries)


PAGES = [
    ("desk:ticket", "agente", 'class="ws-card sla-card"'),
    ("portal:ticket-detail", "luis", 'class="sla-promise"'),
]


def _read_apart(captured) -> list[str]:
    return [query["sql"] for query in captured.captured_queries if 'FROM "sla_ticketsla"' in query["sql"]]


@pytest.mark.parametrize(("page_name", "person", "shown"), PAGES)
def test_the_ticket_pages_read_the_clocks_with_the_ticket(
    client, world, policy, clock, page_name, person, shown
):
    ticket = open_ticket(world.luis, world.soporte)
    sign_in(client, getattr(world, person))

    with CaptureQueriesContext(connection) as captured:
        text = client.get(reverse(page_name, args=[ticket.number])).content.decode()

    assert shown in text
    assert _read_apart(captured) == []


@pytest.mark.parametrize(("page_name", "person", "shown"), PAGES)
def test_a_ticket_no_policy_covers_shows_no_clocks(client, world, page_name, person, shown):
    ticket = open_ticket(world.luis, world.soporte)
    sign_in(client, getattr(world, person))

    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse(page_name, args=[ticket.number]))

    assert page.status_code == 200
    assert shown not in page.content.decode()
    assert _read_apart(captured) == []
