"""The property selects of the ticket page draw their options from the desk's catalog,
and offer exactly what the fields' querysets accept."""

import re

from atiende.desk.inbox import catalog
from atiende.desk.workspace.forms import PROPERTY_FORMS, property_forms
from atiende.tickets.models import Queue, TicketType
from tests.factories import open_ticket


def _options(form) -> list[str]:
    return re.findall(r'<option value="([^"]*)"', str(form["value"]))


def _from_queryset(form_class, ticket) -> list[str]:
    form = form_class(ticket=ticket)  # no catalog: the field's own queryset
    return _options(form)


def test_the_catalog_offers_what_the_querysets_would(world):
    ticket = open_ticket(world.luis, world.soporte)
    TicketType.objects.create(name_es="Inactivo", name_en="Inactive", is_active=False)

    for form in property_forms(ticket):
        assert _options(form) == _from_queryset(PROPERTY_FORMS[form.name], ticket), form.name


def test_a_retired_queue_the_ticket_holds_is_still_offered(world):
    ticket = open_ticket(world.luis, world.soporte)
    Queue.objects.filter(pk=world.soporte.pk).update(is_active=False)
    catalog.changed()

    forms = {form.name: form for form in property_forms(ticket)}

    assert str(world.soporte.pk) in _options(forms["queue"])
    assert str(world.redes.pk) in _options(forms["queue"])


def test_the_selects_of_four_properties_make_no_query(world, django_assert_max_num_queries):
    ticket = open_ticket(world.luis, world.soporte)
    catalog.load()
    forms = {form.name: form for form in property_forms(ticket)}

    with django_assert_max_num_queries(0):
        for name in ("status", "priority", "queue", "type"):
            str(forms[name]["value"])
