"""The workspace's time card: quick entries, the timer's start instant, the reason for time
not billed, what each entry costs, the hour bank on the requester card, and the setting that
asks for time before resolving."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from atiende.billing.models import BillingProfile, ContractTerms
from atiende.tickets import actions
from atiende.tickets.exceptions import InvalidValue
from atiende.tickets.models import Contract, Service, Status, StatusKind
from tests.factories import open_ticket

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def bank(world):
    """Acme on a 10-hour monthly bank since last year, overage at 150.000/h."""
    contract = Contract.objects.create(
        organization=world.acme,
        service=Service.objects.create(name="Mesa de ayuda"),
        reference="ACME-BOLSA",
        valid_from=timezone.localdate() - datetime.timedelta(days=400),
    )
    ContractTerms.objects.create(
        contract=contract,
        effective_from=contract.valid_from,
        kind="hour_bank",
        bank_hours=Decimal("10"),
        overage_rate=Decimal("150000"),
        increment_minutes=15,
    )
    BillingProfile.objects.create(organization=world.acme, account_manager=world.supervisor)
    return contract


@pytest.fixture
def ticket(world, bank):
    return open_ticket(world.luis, world.soporte, subject="Sin VPN", contract=bank)


def _time(ticket):
    return reverse("desk:ticket-time", args=[ticket.number])


def test_a_quick_button_records_its_minutes_whatever_is_typed(client, world, ticket):
    client.force_login(world.agente.user)

    response = client.post(
        _time(ticket),
        {"quick": "30", "minutes": "999", "billable": "on", "work_date": timezone.localdate().isoformat()},
        **HTMX,
    )

    assert response.status_code == 200
    entry = ticket.time_entries.get()
    assert (entry.minutes, entry.started_at) == (30, None)


@pytest.mark.parametrize("quick", ["45", "-15", "15; DROP TABLE", "9" * 40])
def test_a_forged_quick_value_is_refused_and_records_nothing(client, world, ticket, quick):
    client.force_login(world.agente.user)

    response = client.post(
        _time(ticket),
        {"quick": quick, "billable": "on", "work_date": timezone.localdate().isoformat()},
        **HTMX,
    )

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not ticket.time_entries.exists()


def test_the_timer_posts_when_it_started_and_the_entry_keeps_it(client, world, ticket):
    client.force_login(world.agente.user)
    started = timezone.now() - datetime.timedelta(minutes=40)

    client.post(
        _time(ticket),
        {
            "minutes": "40",
            "billable": "on",
            "work_date": timezone.localdate().isoformat(),
            "started_at": started.isoformat(),
        },
        **HTMX,
    )

    entry = ticket.time_entries.get()
    assert entry.started_at == started.replace(microsecond=started.microsecond)


@pytest.mark.parametrize(
    "started", ["2001-01-01T00:00:00+00:00", "2999-01-01T00:00:00+00:00", "ayer", "1" * 300]
)
def test_a_forged_timer_start_is_refused_with_what_was_typed_kept(client, world, ticket, started):
    client.force_login(world.agente.user)

    response = client.post(
        _time(ticket),
        {
            "minutes": "25",
            "billable": "on",
            "note": "Revisión del firewall",
            "work_date": timezone.localdate().isoformat(),
            "started_at": started,
        },
        **HTMX,
    )

    html = response.content.decode()
    assert not ticket.time_entries.exists()
    assert 'role="alert"' in html
    assert 'value="25"' in html and "Revisión del firewall" in html


def test_time_not_billable_needs_a_reason_and_keeps_what_was_typed(client, world, ticket):
    client.force_login(world.agente.user)

    response = client.post(
        _time(ticket), {"minutes": "45", "work_date": timezone.localdate().isoformat()}, **HTMX
    )

    html = response.content.decode()
    assert not ticket.time_entries.exists()
    assert "Diga por qué este tiempo no se factura" in html
    assert 'value="45"' in html
    with pytest.raises(InvalidValue):
        actions.add_time_entry(world.agente.user, ticket, minutes=45, billable=False, note="   ")


def test_each_entry_says_what_it_costs_under_the_contract(client, world, ticket):
    other = open_ticket(world.ana, world.soporte, subject="Impresora", contract=ticket.contract)
    actions.add_time_entry(world.agente.user, other, minutes=600)  # the whole bank
    actions.add_time_entry(world.agente.user, ticket, minutes=20)  # 30 billed, all overage
    client.force_login(world.agente.user)

    html = client.get(reverse("desk:ticket", args=[ticket.number])).content.decode()
    card = html[html.index('id="time"') : html.index("</section>", html.index('id="time"'))]

    assert "$ 75.000,00" in card  # 0,5 h × $ 150.000
    assert "30 min" in card


def test_the_requester_card_shows_the_bank_balance(client, world, ticket):
    actions.add_time_entry(world.agente.user, ticket, minutes=510)  # 8,5 h of 10
    client.force_login(world.agente.user)

    html = client.get(reverse("desk:ticket", args=[ticket.number])).content.decode()
    card = html[html.index('class="ws-card requester"') :]

    assert "8,50 h de 10,00 h" in card and "(85 %)" in card
    assert "1,50 h" in card
    assert reverse("billing:contract", args=[ticket.contract_id]) not in card  # not a supervisor


def test_a_supervisor_opens_the_contract_page_from_the_card(client, world, ticket):
    actions.add_time_entry(world.agente.user, ticket, minutes=600)
    client.force_login(world.supervisor.user)
    url = reverse("billing:contract", args=[ticket.contract_id])

    card = client.get(reverse("desk:ticket", args=[ticket.number])).content.decode()
    page = client.get(url).content.decode()

    assert url in card
    assert "10,00 h de 10,00 h" in page and "$\u00a0150.000,00/h" in page
    assert client.get(reverse("billing:contract", args=[10**15])).status_code == 404


def test_an_engineer_without_billing_cannot_open_a_contract_page(client, world, ticket):
    client.force_login(world.agente.user)

    assert client.get(reverse("billing:contract", args=[ticket.contract_id])).status_code == 404


# --- time required before resolving --------------------------------------------------------------


@override_settings(ATIENDE_REQUIRE_TIME_TO_RESOLVE=True)
def test_with_the_setting_an_engineer_cannot_resolve_without_time(client, world, ticket):
    resolved = Status.objects.filter(kind=StatusKind.RESOLVED).first()
    assert resolved is not None
    client.force_login(world.agente.user)

    response = client.post(
        reverse("desk:ticket-property", args=[ticket.number, "status"]), {"status-value": resolved.pk}, **HTMX
    )

    ticket.refresh_from_db()
    assert ticket.status.kind != StatusKind.RESOLVED
    assert "Registre el tiempo dedicado" in response.content.decode()
    actions.add_time_entry(world.agente.user, ticket, minutes=15)
    actions.change_status(world.agente.user, ticket, resolved)
    assert ticket.status.kind == StatusKind.RESOLVED


@override_settings(ATIENDE_REQUIRE_TIME_TO_RESOLVE=True)
def test_with_the_setting_a_reply_that_resolves_keeps_its_text(client, world, ticket):
    client.force_login(world.agente.user)

    response = client.post(
        reverse("desk:ticket-compose", args=[ticket.number]),
        {"kind": "public", "text": "Quedó resuelto, reinicie el equipo.", "then": "resolved"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Registre el tiempo dedicado" in html
    assert "Quedó resuelto, reinicie el equipo." in html
    assert not ticket.messages.filter(body_text__contains="Quedó resuelto").exists()


@override_settings(ATIENDE_REQUIRE_TIME_TO_RESOLVE=True)
def test_the_requester_closes_their_own_ticket_without_time(world, ticket):
    actions.close_ticket(world.luis.user, ticket)

    assert ticket.status.kind == StatusKind.CLOSED


def test_without_the_setting_resolving_needs_no_time(world, ticket):
    resolved = Status.objects.filter(kind=StatusKind.RESOLVED).first()
    assert resolved is not None

    actions.change_status(world.agente.user, ticket, resolved)

    assert ticket.status.kind == StatusKind.RESOLVED
