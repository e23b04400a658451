"""*Nuevo Ticket* says, before the contact sends, that the company's hour bank is used up
and at what rate the ticket will be billed, in the contract's currency."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from atiende.tickets import actions
from tests.billing.conftest import Billing

NOTICE = "Su bolsa de horas está agotada: este ticket se facturará como soporte por demanda a"


def new_ticket_page(user: object) -> str:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client.get(reverse("portal:ticket-new")).content.decode()


def use_the_bank(billing: Billing, minutes: int) -> None:
    actions.add_time_entry(
        billing.world.agente.user, billing.ticket, minutes=minutes, work_date=timezone.localdate()
    )


def test_a_contact_is_told_before_sending_when_the_bank_is_used_up(billing: Billing) -> None:
    use_the_bank(billing, 600)

    html = new_ticket_page(billing.world.luis.user)

    assert f"{NOTICE} $\u00a0150.000,00/h." in html
    assert html.index(NOTICE) < html.index('class="ticket-form"')


def test_a_bank_with_hours_left_says_nothing(billing: Billing) -> None:
    use_the_bank(billing, 585)

    assert NOTICE not in new_ticket_page(billing.world.luis.user)


def test_a_mexican_contract_is_written_as_mexico_writes_money(billing: Billing) -> None:
    billing.terms.currency = "MXN"
    billing.terms.overage_rate = Decimal("1250.5")
    billing.terms.tax_rate = Decimal("16")
    billing.terms.save()
    use_the_bank(billing, 600)

    assert f"{NOTICE} $1,250.50/h." in new_ticket_page(billing.world.luis.user)


def test_another_companys_contact_is_not_told(billing: Billing) -> None:
    use_the_bank(billing, 600)

    assert NOTICE not in new_ticket_page(billing.world.carla.user)
