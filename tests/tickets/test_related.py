"""A ticket page asks, in the statement that reads the ticket, which of its small lists hold
anything (`tickets.related`), and reads only those: nothing is lost when they hold
something, and nothing is read when they are empty."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from atiende.incidents import access as incident_access
from atiende.incidents import actions as incidents
from atiende.satisfaction import queries as satisfaction
from atiende.satisfaction.actions import rate_ticket
from atiende.tickets import access, actions, queries
from atiende.tickets.models import Channel, TicketSeen
from tests.factories import open_ticket
from tests.satisfaction.conftest import resolve

DESK_LISTS = (
    "tickets_ticketlink",
    "satisfaction_rating",
    "tickets_timeentry",
    "tickets_ticket_tags",
    "tickets_ticketcc",
    "whatsapp_outboundmessage",
)
PORTAL_LISTS = ("tickets_ticketlink", "satisfaction_rating", "incidents_incidentchild")


def statements_naming(client, url, tables):
    """Each table with the statements of the page that name it."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    sqls = [query["sql"] for query in captured.captured_queries]
    named = {table: [sql for sql in sqls if re.search(rf'\b"?{table}"?\b', sql)] for table in tables}
    return response.content.decode(), named


def test_the_desk_page_of_a_ticket_with_empty_lists_reads_them_only_as_exists(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    _html, named = statements_naming(client, reverse("desk:ticket", args=[ticket.number]), DESK_LISTS)

    for table, sqls in named.items():
        assert len(sqls) == 1, table
        assert "EXISTS" in sqls[0] and '"tickets_ticket"."number"' in sqls[0], table


def test_the_desk_page_shows_every_list_that_holds_something(client, world):
    ticket = open_ticket(world.luis, world.soporte, subject="Con todo")
    other = open_ticket(world.luis, world.soporte, subject="El otro")
    agent = world.agente.user
    actions.assign_ticket(agent, ticket, world.agente)
    actions.link_tickets(agent, ticket, other)
    actions.change_ticket(agent, ticket, tags=["vip"], cc=["jefe@acme.test"])
    actions.add_time_entry(agent, ticket, minutes=95, note="Cambio de tóner")
    resolved_at = resolve(agent, ticket).resolved_at
    assert resolved_at is not None
    rate_ticket(world.luis.user, ticket, score="bad", comment="Tardaron mucho", resolution=resolved_at)
    client.force_login(agent)

    html, named = statements_naming(client, reverse("desk:ticket", args=[ticket.number]), DESK_LISTS)

    assert f"#{other.number}" in html
    assert 'value="vip"' in html
    assert 'value="jefe@acme.test"' in html
    assert "Cambio de tóner" in html and "1 h 35 min" in html
    assert "Tardaron mucho" in html
    for table in ("tickets_ticketlink", "satisfaction_rating", "tickets_timeentry", "tickets_ticketcc"):
        assert len(named[table]) >= 2, table


def test_the_portal_page_of_a_ticket_with_empty_lists_reads_them_only_as_exists(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(world.luis.user)

    _html, named = statements_naming(
        client, reverse("portal:ticket-detail", args=[ticket.number]), PORTAL_LISTS
    )

    for table, sqls in named.items():
        assert len(sqls) == 1, table
        assert "EXISTS" in sqls[0], table


def test_the_portal_page_shows_the_link_the_incident_and_the_rating(client, world):
    ticket = open_ticket(world.luis, world.soporte, subject="Sin correo")
    other = open_ticket(world.luis, world.soporte, subject="Tampoco imprime")
    cause = open_ticket(world.ana, world.soporte, subject="Caída del servidor de correo")
    agent = world.agente.user
    actions.link_tickets(agent, ticket, other)
    incident = incidents.declare_incident(agent, cause, title="Correo caído en Acme")
    incidents.attach_ticket(agent, incident, ticket)
    resolved_at = resolve(agent, ticket).resolved_at
    assert resolved_at is not None
    rate_ticket(world.luis.user, ticket, score="good", comment="Gracias", resolution=resolved_at)
    client.force_login(world.luis.user)

    html = client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode()

    assert f"#{other.number}" in html
    assert "Correo caído en Acme" in html
    assert "Gracias" in html


def test_a_ticket_read_without_asking_is_taken_to_have_every_list(world):
    ticket = open_ticket(world.luis, world.soporte)
    other = open_ticket(world.luis, world.soporte)
    actions.link_tickets(world.agente.user, ticket, other)

    plain = access.get_ticket_for_user(world.agente.user, ticket.number)
    asked = access.get_ticket_for_user(
        world.agente.user,
        ticket.number,
        asking=(queries.LINKS, satisfaction.RATING, incident_access.GATHERED),
    )

    assert not queries.LINKS.absent(plain) and not satisfaction.RATING.absent(plain)
    assert [t.pk for _label, t in queries.links_for(world.agente.user, plain)] == [other.pk]
    flags = [
        getattr(asked, kind.attribute)
        for kind in (queries.LINKS, satisfaction.RATING, incident_access.GATHERED)
    ]
    assert flags == [True, False, False]
    assert [t.pk for _label, t in queries.links_for(world.agente.user, asked)] == [other.pk]
    assert satisfaction.rating_of(asked) is None
    assert incident_access.incident_of_child(asked) is None


@pytest.mark.parametrize(
    ("who", "page"), [("carla", "portal:ticket-detail"), ("otro", "desk:ticket"), ("carla", "desk:ticket")]
)
def test_asking_does_not_open_a_ticket_the_reader_may_not_see(client, world, who, page):
    """The questions ride on the ticket's own statement, which stays bounded by access:
    another company's contact, an engineer of another queue."""
    ticket = open_ticket(world.luis, world.soporte)
    actions.link_tickets(world.agente.user, ticket, open_ticket(world.luis, world.soporte))
    client.force_login(getattr(world, who).user)

    assert client.get(reverse(page, args=[ticket.number])).status_code == 404


def test_the_desk_page_reads_the_viewers_seen_mark_with_the_ticket_and_writes_only_news(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)
    url = reverse("desk:ticket", args=[ticket.number])

    _html, first = statements_naming(client, url, ["tickets_ticketseen"])
    _html, again = statements_naming(client, url, ["tickets_ticketseen"])
    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="¿Alguna novedad?")
    _html, after_news = statements_naming(client, url, ["tickets_ticketseen"])

    def writes(sqls):
        return [sql for sql in sqls if sql.startswith(("INSERT", "UPDATE"))]

    assert len(writes(first["tickets_ticketseen"])) == 1
    assert again["tickets_ticketseen"] == [sql for sql in again["tickets_ticketseen"] if "EXISTS" in sql]
    assert len(again["tickets_ticketseen"]) == 1
    assert len(writes(after_news["tickets_ticketseen"])) == 1
    assert TicketSeen.objects.get(user=world.agente.user, ticket=ticket).seen_at >= ticket.created_at


def test_each_viewers_seen_mark_is_their_own_question(client, world):
    """The columns are compiled once per process, a seen mark once per person: one
    engineer's mark never answers for another's."""
    ticket = open_ticket(world.luis, world.soporte)
    url = reverse("desk:ticket", args=[ticket.number])
    client.force_login(world.agente.user)
    client.get(url)
    seen_by_agent = TicketSeen.objects.get(user=world.agente.user, ticket=ticket).seen_at

    client.force_login(world.supervisor.user)
    _html, first = statements_naming(client, url, ["tickets_ticketseen"])
    _html, again = statements_naming(client, url, ["tickets_ticketseen"])

    def writes(sqls):
        return [sql for sql in sqls if sql.startswith(("INSERT", "UPDATE"))]

    assert len(writes(first["tickets_ticketseen"])) == 1  # the supervisor had not seen it
    assert writes(again["tickets_ticketseen"]) == []
    assert {seen.user_id for seen in TicketSeen.objects.filter(ticket=ticket)} == {
        world.agente.user.pk,
        world.supervisor.user.pk,
    }
    assert TicketSeen.objects.get(user=world.agente.user, ticket=ticket).seen_at == seen_by_agent


def test_a_question_is_compiled_once_and_answers_like_the_orm(world):
    from atiende.tickets import related

    ticket = open_ticket(world.luis, world.soporte)
    other = open_ticket(world.luis, world.soporte)
    actions.link_tickets(world.agente.user, ticket, other)
    related._compiled.cache_clear()

    for _ in range(3):
        read = access.get_ticket_for_user(
            world.agente.user, ticket.number, asking=[queries.LINKS, queries.TAGS]
        )
        assert (queries.LINKS.absent(read), queries.TAGS.absent(read)) == (False, True)
    assert related._compiled.cache_info().misses == 2
    by_orm = (
        type(ticket)
        .objects.filter(pk=ticket.pk)
        .annotate(has_links=queries.LINKS.column(), has_tags=queries.TAGS.column())
        .values_list("has_links", "has_tags")
        .get()
    )
    assert by_orm == (True, False)
