"""The property selects of the ticket page are drawn from the desk's catalog, without a
form, and offer exactly what the fields' forms accept."""

import re

from atiende.accounts.models import Location
from atiende.desk.inbox import catalog
from atiende.desk.workspace import panel
from atiende.desk.workspace.forms import PROPERTY_FORMS
from atiende.tickets.models import Category, Queue, Service, TicketType
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


def test_a_closed_down_site_the_ticket_holds_is_still_offered_and_a_new_one_at_once(world):
    norte = Location.objects.get(organization=world.acme, name="Sede Norte")
    ticket = open_ticket(world.luis, world.soporte)
    ticket.location = norte
    ticket.save()
    assert str(norte.pk) in _options(_rows(ticket)["location"].control)

    norte.is_active = False
    norte.save()
    sur = Location.objects.create(organization=world.acme, name="Sede Sur")

    offered = _options(_rows(ticket)["location"].control)
    assert offered == ["", str(norte.pk), str(sur.pk)]
    assert offered == _options(_from_form("location", ticket))
    other = open_ticket(world.luis, world.soporte)
    assert _options(_rows(other)["location"].control) == ["", str(sur.pk)]
    assert "Planta Sur" not in _rows(other)["location"].control


def test_the_on_demand_service_offered_follows_its_changes_at_once(world):
    ticket = open_ticket(world.luis, world.soporte)
    on_demand = Service.objects.get(is_on_demand=True)
    assert "por hora" in _rows(ticket)["service"].control
    on_demand.is_active = False
    on_demand.save()
    assert "por hora" not in _rows(ticket)["service"].control

    on_demand.name, on_demand.hourly_rate, on_demand.currency = "Soporte por demanda", 90000, "COP"
    on_demand.is_active = True
    on_demand.save()

    service = _rows(ticket)["service"]
    assert "Soporte por demanda — 90.000 COP por hora" in service.control
    assert _options(service.control) == _options(_from_form("service", ticket))
