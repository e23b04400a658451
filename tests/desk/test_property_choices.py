"""The property selects of the ticket page are drawn from the desk's catalog, without a
form, and offer exactly what the fields' forms accept."""

import re

from atiende.desk.inbox import catalog
from atiende.desk.workspace import panel
from atiende.desk.workspace.forms import PROPERTY_FORMS
from atiende.tickets.models import Category, Queue, TicketType
from tests.factories import open_ticket


def _options(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"', html)


def _from_form(name: str, ticket) -> str:
    return str(PROPERTY_FORMS[name](ticket=ticket)["value"])


def _rows(ticket) -> dict[str, panel.Property]:
    return {row.name: row for row in panel.properties(ticket)}


def test_the_panel_offers_what_the_forms_accept(world):
    ticket = open_ticket(world.luis, world.soporte)
    TicketType.objects.create(name_es="Inactivo", name_en="Inactive", is_active=False)
    red = Category.objects.create(name_es="Red")
    Category.objects.create(name_es="Wi-Fi", parent=red)
    Category.objects.create(name_es="Impresoras")

    for name, row in _rows(ticket).items():
        assert _options(row.control) == _options(_from_form(name, ticket)), name


def test_the_panel_selects_what_is_saved_as_the_forms_do(world):
    ticket = open_ticket(world.luis, world.soporte)
    ticket.assignee = world.agente
    ticket.save()

    for name, row in _rows(ticket).items():
        chosen = re.findall(r'<option value="([^"]*)" selected', row.control)
        assert chosen == re.findall(r'<option value="([^"]*)" selected', _from_form(name, ticket)), name


def test_a_retired_queue_the_ticket_holds_is_still_offered(world):
    ticket = open_ticket(world.luis, world.soporte)
    Queue.objects.filter(pk=world.soporte.pk).update(is_active=False)
    catalog.changed()

    queue = _rows(ticket)["queue"]

    assert str(world.soporte.pk) in _options(queue.control)
    assert str(world.redes.pk) in _options(queue.control)
    assert _options(queue.control) == _options(_from_form("queue", ticket))


def test_a_new_member_of_the_queue_is_offered_for_assignment_at_once(world):
    ticket = open_ticket(world.luis, world.soporte)
    assert str(world.otro.pk) not in _options(_rows(ticket)["assignee"].control)

    world.soporte.agents.add(world.otro)

    assert str(world.otro.pk) in _options(_rows(ticket)["assignee"].control)


def test_the_catalogs_selects_make_no_query_once_read(world, django_assert_max_num_queries):
    ticket = open_ticket(world.luis, world.soporte)
    panel.choices(ticket)

    with django_assert_max_num_queries(0):
        listed = catalog.load()
        panel._assignees(listed, ticket.queue_id)
        panel._categories(listed, ticket.category_id)
