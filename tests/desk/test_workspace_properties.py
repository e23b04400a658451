"""The workspace's side panel: properties changed in place, *Tomar*, links, merging, time,
and the *Historial* tab."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from atiende.outbox.models import OutboundEmail
from atiende.tickets import actions
from atiende.tickets.models import (
    Category,
    Contract,
    LinkKind,
    Priority,
    Service,
    Status,
    StatusKind,
    TicketType,
)
from tests.factories import open_ticket

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ticket(world):
    return open_ticket(world.luis, world.soporte, subject="Sin VPN")


def _url(name, ticket, *args):
    return reverse(f"desk:{name}", args=[ticket.number, *args])


@pytest.fixture
def calls(monkeypatch):
    """What the views asked of `change_ticket`, which still does the work."""
    seen = []
    original = actions.change_ticket

    def spy(actor, ticket, **changes):
        seen.append(changes)
        return original(actor, ticket, **changes)

    monkeypatch.setattr(actions, "change_ticket", spy)
    return seen


def _values(world):
    """For each property: the value posted and what the ticket then shows."""
    category = Category.objects.create(name_es="Red")
    service = Service.objects.create(name="Mesa de ayuda")
    contract = Contract.objects.create(
        organization=world.acme, service=service, valid_from=datetime.date(2020, 1, 1), reference="ACM-1"
    )
    urgent = Priority.objects.get(level=1)
    pending = Status.objects.get(kind=StatusKind.PENDING)
    question = TicketType.objects.get(name_es="Pregunta")
    site = world.acme.locations.get()
    return {
        "status": (pending.pk, lambda t: t.status == pending),
        "priority": (urgent.pk, lambda t: t.priority == urgent),
        "queue": (world.redes.pk, lambda t: t.queue == world.redes),
        "type": (question.pk, lambda t: t.type == question),
        "category": (category.pk, lambda t: t.category == category),
        "location": (site.pk, lambda t: t.location == site),
        "service": (f"contract:{contract.pk}", lambda t: (t.service, t.contract) == (service, contract)),
        "assignee": (world.agente.pk, lambda t: t.assignee == world.agente),
        "tags": ("VPN, remoto", lambda t: sorted(t.tags.values_list("name", flat=True)) == ["remoto", "vpn"]),
    }


@pytest.mark.parametrize(
    "field", ["status", "priority", "queue", "type", "category", "location", "service", "assignee", "tags"]
)
def test_each_property_change_goes_through_change_ticket_and_writes_history(
    client, world, ticket, calls, field
):
    value, check = _values(world)[field]
    client.force_login(world.supervisor.user)

    response = client.post(_url("ticket-property", ticket, field), {f"{field}-value": value}, **HTMX)

    ticket.refresh_from_db()
    assert response.status_code == 200
    assert check(ticket)
    assert len(calls) == 1
    assert set(calls[0]) - {"channel"} == ({"service", "contract"} if field == "service" else {field})
    assert ticket.history.filter(action="changed", field=field).exists()
    assert 'id="properties"' in response.content.decode()


def test_the_panel_redraws_the_header_too_so_the_stage_badge_follows(client, world, ticket):
    resolved = Status.objects.get(kind=StatusKind.RESOLVED)
    client.force_login(world.agente.user)

    html = client.post(_url("ticket-property", ticket, "status"), {"status-value": resolved.pk}, **HTMX)

    assert 'hx-swap-oob="true"' in html.content.decode()
    assert "Resuelto" in html.content.decode()


def test_without_htmx_a_change_goes_back_to_the_page(client, world, ticket):
    client.force_login(world.agente.user)

    response = client.post(_url("ticket-property", ticket, "tags"), {"tags-value": "impresora"})

    assert response.status_code == 302
    assert response["Location"] == _url("ticket", ticket)


def test_a_refused_change_shows_the_reason_beside_the_saved_value(client, world, ticket):
    foreign_site = world.globex.locations.get()
    client.force_login(world.agente.user)

    response = client.post(
        _url("ticket-property", ticket, "location"), {"location-value": foreign_site.pk}, **HTMX
    )

    html = response.content.decode()
    ticket.refresh_from_db()
    assert response.status_code == 200
    assert ticket.location is None
    assert 'id="id_location-value-error"' in html
    assert 'aria-invalid="true"' in html


def test_an_unknown_property_is_404(client, world, ticket):
    client.force_login(world.agente.user)

    assert client.post(_url("ticket-property", ticket, "number"), {"number-value": 1}).status_code == 404


def test_closing_from_the_panel_reloads_the_page_so_the_composer_goes(client, world, ticket):
    closed = Status.objects.get(kind=StatusKind.CLOSED)
    client.force_login(world.agente.user)

    response = client.post(_url("ticket-property", ticket, "status"), {"status-value": closed.pk}, **HTMX)

    assert response["HX-Refresh"] == "true"
    ticket.refresh_from_db()
    assert ticket.is_closed


def test_moving_a_ticket_out_of_the_agents_queues_sends_them_to_the_inbox(client, world, ticket):
    client.force_login(world.agente.user)

    response = client.post(_url("ticket-property", ticket, "queue"), {"queue-value": world.redes.pk}, **HTMX)

    assert response["HX-Redirect"] == reverse("desk:home")


def test_the_assignee_list_offers_the_queues_agents_and_those_who_see_all(client, world, ticket):
    client.force_login(world.agente.user)

    rows = client.get(_url("ticket", ticket)).context["property_rows"]
    assignee = next(each for each in rows if each.name == "assignee")

    offered = set(re.findall(r'<option value="(\d+)"', assignee.control))
    assert offered == {str(agent.pk) for agent in (world.agente, world.supervisor, world.admin)}


def test_the_service_list_offers_the_companys_contracts_in_force_and_on_demand(client, world, ticket):
    service = Service.objects.create(name="Mesa de ayuda 8x5")
    Contract.objects.create(organization=world.acme, service=service, valid_from=datetime.date(2020, 1, 1))
    Contract.objects.create(
        organization=world.acme,
        service=Service.objects.create(name="Vencido"),
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2021, 1, 1),
    )
    Contract.objects.create(
        organization=world.globex, service=Service.objects.create(name="De Globex"), valid_from="2020-01-01"
    )
    client.force_login(world.agente.user)

    html = client.get(_url("ticket", ticket)).content.decode()
    select = html[
        html.index('name="service-value"') : html.index("</select>", html.index('name="service-value"'))
    ]

    assert "Mesa de ayuda 8x5" in select
    assert "Soporte por demanda" in select
    assert "Vencido" not in select
    assert "De Globex" not in select


# --- take --------------------------------------------------------------------------------------


def test_take_assigns_the_ticket_to_me(client, world, ticket):
    client.force_login(world.agente.user)

    page = client.get(_url("ticket", ticket)).content.decode()
    response = client.post(_url("ticket-take", ticket), **HTMX)

    ticket.refresh_from_db()
    assert 'id="take-button"' in page
    assert ticket.assignee == world.agente
    assert 'id="take-button"' not in response.content.decode()
    assert ticket.history.filter(field="assignee", new_value="Agente Soporte").exists()


# --- links and merging -------------------------------------------------------------------------


def test_a_ticket_is_linked_to_another_by_number(client, world, ticket):
    other = open_ticket(world.luis, world.soporte, subject="Anterior")
    client.force_login(world.agente.user)

    response = client.post(_url("ticket-link", ticket), {"number": other.number, "kind": "continues"}, **HTMX)

    link = ticket.links_out.get()
    assert (link.target, link.kind) == (other, LinkKind.CONTINUES)
    assert _url("ticket", other) in response.content.decode()


def test_linking_to_a_number_the_agent_cannot_see_says_it_was_not_found(client, world, ticket):
    hidden = open_ticket(world.luis, world.redes)
    client.force_login(world.agente.user)

    response = client.post(_url("ticket-link", ticket), {"number": hidden.number, "kind": "related"}, **HTMX)

    assert response.status_code == 200
    assert f"#{hidden.number}" in response.content.decode()
    assert not ticket.links_out.exists()


def test_merging_asks_for_confirmation_and_explains_what_happens(client, world, ticket):
    survivor = open_ticket(world.ana, world.soporte, subject="El original")
    client.force_login(world.agente.user)

    response = client.get(_url("ticket-merge", ticket), {"into": survivor.number})

    html = response.content.decode()
    ticket.refresh_from_db()
    assert response.status_code == 200
    assert "El original" in html
    assert f'name="into" value="{survivor.number}"' in html
    assert not ticket.is_closed
    assert ticket.messages.count() == 1


def test_a_confirmed_merge_closes_the_duplicate_and_goes_to_the_survivor(client, world, ticket):
    survivor = open_ticket(world.ana, world.soporte, subject="El original")
    client.force_login(world.agente.user)

    response = client.post(_url("ticket-merge", ticket), {"into": survivor.number})

    ticket.refresh_from_db()
    assert response["Location"] == _url("ticket", survivor)
    assert ticket.is_closed
    assert survivor.messages.filter(body_text__startswith="Desde esta mañana").count() == 2
    assert OutboundEmail.objects.filter(kind="ticket_merged").count() == 2


def test_merging_into_itself_or_another_company_is_refused_with_the_reason(client, world, ticket):
    foreign = open_ticket(world.carla, world.soporte)
    client.force_login(world.agente.user)

    itself = client.get(_url("ticket-merge", ticket), {"into": ticket.number})
    other_company = client.post(_url("ticket-merge", ticket), {"into": foreign.number})

    ticket.refresh_from_db()
    assert itself.status_code == other_company.status_code == 400
    assert not ticket.is_closed
    assert "Solo se pueden fusionar tickets de la misma compañía." in other_company.content.decode()


# --- time ----------------------------------------------------------------------------------------


def test_time_entries_are_listed_with_billable_and_unbillable_totals(client, world, ticket):
    client.force_login(world.agente.user)
    url = _url("ticket-time", ticket)
    today = timezone.localdate().isoformat()

    client.post(url, {"minutes": 90, "billable": "on", "note": "Visita", "work_date": today})
    client.post(url, {"minutes": 20, "billable": "on", "note": "", "work_date": today})
    response = client.post(url, {"minutes": 15, "note": "Llamada interna", "work_date": today}, **HTMX)

    html = response.content.decode()
    assert ticket.time_entries.count() == 3
    assert not ticket.time_entries.get(minutes=15).billable
    totals = html[html.index('class="totals"') : html.index("</dl>")]
    assert "<dd>1 h 50 min</dd>" in totals
    assert "<dd>15 min</dd>" in totals
    assert "Visita" in html and "Llamada interna" in html


def test_the_time_form_defaults_to_today_and_refuses_a_future_day(client, world, ticket):
    client.force_login(world.agente.user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    page = client.get(_url("ticket", ticket)).content.decode()
    response = client.post(
        _url("ticket-time", ticket), {"minutes": 5, "work_date": tomorrow.isoformat()}, **HTMX
    )

    assert f'value="{timezone.localdate().isoformat()}"' in page
    assert response.status_code == 200
    assert not ticket.time_entries.exists()


# --- history -------------------------------------------------------------------------------------


def test_the_history_tab_lists_each_change_with_who_and_from_what_to_what(client, world, ticket):
    actions.change_ticket(world.agente.user, ticket, priority=Priority.objects.get(level=2))
    client.force_login(world.agente.user)

    page = client.get(_url("ticket-history", ticket))
    tab = client.get(_url("ticket-history", ticket), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="tab-panel")

    for html in (page.content.decode(), tab.content.decode()):
        row = html[html.index("Prioridad</td>") - 400 : html.index("Prioridad</td>") + 200]
        assert "Agente Soporte" in row
        assert "Normal" in row and "Alta" in row
    assert "<html" not in tab.content.decode()
    assert 'id="composer"' not in page.content.decode()
