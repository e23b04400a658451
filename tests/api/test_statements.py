"""Issued statements through the API, read-only: those who bill read every company's; a
company's billing contact reads that company's only; everyone else reads none, and another
company's number answers 404 like one that does not exist."""

from __future__ import annotations

from decimal import Decimal

import pytest

from atiende.billing import actions as billing_actions
from atiende.billing.models import BillingProfile, Statement
from tests.api.conftest import ApiTestClient, TokenFor
from tests.billing.conftest import Billing, record
from tests.billing.conftest import billing as billing

pytestmark = pytest.mark.django_db

LIST = "/api/v1/statements/"


@pytest.fixture
def issued(billing: Billing) -> Statement:
    """Acme's statement of last month: 11,5 h on a 10-hour bank, 1,5 h of overage."""
    record(billing, billing.ticket, 690, 3)
    return billing_actions.issue_statement(billing.world.admin.user, billing.world.acme, billing.period)


@pytest.fixture
def globex_issued(billing: Billing) -> Statement:
    return billing_actions.issue_statement(billing.world.admin.user, billing.world.globex, billing.period)


def test_a_supervisor_reads_the_statement_its_totals_and_lines(
    api_client: ApiTestClient, token_for: TokenFor, billing: Billing, issued: Statement
) -> None:
    client = api_client.bearer(token_for(billing.world.supervisor.user, "read"))

    listed = client.get(LIST).json()["results"]
    detail = client.get(f"{LIST}{issued.number}/").json()
    lines = client.get(f"{LIST}{issued.number}/lines/").json()["results"]

    assert [row["number"] for row in listed] == [issued.number]
    assert detail["subtotal"] == "225000.00"  # 1,5 h × 150.000
    assert detail["tax"] == "42750.00"  # IVA 19 %
    assert detail["total"] == "267750.00"
    assert (detail["bank_opening_hours"], detail["bank_drawn_hours"], detail["bank_closing_hours"]) == (
        "10.00",
        "10.00",
        "0.00",
    )
    assert detail["currency"] == "COP" and detail["seal"] == issued.content_sha256
    assert sum(Decimal(line["amount"]) for line in lines if line["kind"] != "entry") == Decimal("225000.00")
    assert lines[0]["ticket"] == billing.ticket.number and lines[0]["billed_minutes"] == 690


def test_a_billing_contact_reads_their_company_and_never_another(
    api_client: ApiTestClient,
    token_for: TokenFor,
    billing: Billing,
    issued: Statement,
    globex_issued: Statement,
) -> None:
    client = api_client.bearer(token_for(billing.world.ana.user, "read"))

    assert [row["number"] for row in client.get(LIST).json()["results"]] == [issued.number]
    assert client.get(f"{LIST}{issued.number}/").status_code == 200
    assert client.get(f"{LIST}{globex_issued.number}/").status_code == 404
    assert client.get(f"{LIST}{globex_issued.number}/lines/").status_code == 404
    assert client.get(LIST, {"company": billing.world.globex.pk}).json()["results"] == []


def test_a_contact_who_is_not_a_billing_contact_reads_none(
    api_client: ApiTestClient, token_for: TokenFor, billing: Billing, issued: Statement
) -> None:
    client = api_client.bearer(token_for(billing.world.luis.user, "read"))

    assert client.get(LIST).json()["results"] == []
    assert client.get(f"{LIST}{issued.number}/").status_code == 404


def test_a_billing_contact_removed_from_the_profile_reads_none(
    api_client: ApiTestClient, token_for: TokenFor, billing: Billing, issued: Statement
) -> None:
    BillingProfile.objects.get(organization=billing.world.acme).contacts.remove(billing.world.ana)
    client = api_client.bearer(token_for(billing.world.ana.user, "read"))

    assert client.get(f"{LIST}{issued.number}/").status_code == 404


def test_an_engineer_of_one_queue_reads_no_money(
    api_client: ApiTestClient, token_for: TokenFor, billing: Billing, issued: Statement
) -> None:
    client = api_client.bearer(token_for(billing.world.agente.user, "read"))

    assert client.get(LIST).json()["results"] == []
    assert client.get(f"{LIST}{issued.number}/").status_code == 404


@pytest.mark.parametrize(
    "number", ["2026-99999", "../tickets", "2026-0001;DROP", "9" * 300, "%00", "2026-0001%2F..%2F"]
)
def test_forged_numbers_are_not_found(
    api_client: ApiTestClient, token_for: TokenFor, billing: Billing, issued: Statement, number: str
) -> None:
    client = api_client.bearer(token_for(billing.world.supervisor.user, "read"))

    assert client.get(f"{LIST}{number}/").status_code == 404


@pytest.mark.parametrize(
    "params", [{"company": "1 OR 1=1"}, {"company": "9" * 40}, {"month": "2026-13"}, {"month": "x"}]
)
def test_forged_filters_list_nothing(
    api_client: ApiTestClient,
    token_for: TokenFor,
    billing: Billing,
    issued: Statement,
    params: dict[str, str],
) -> None:
    client = api_client.bearer(token_for(billing.world.supervisor.user, "read"))

    response = client.get(LIST, params)

    assert response.status_code == 200 and response.json()["results"] == []


def test_the_month_and_company_filters_find_the_statement(
    api_client: ApiTestClient, token_for: TokenFor, billing: Billing, issued: Statement
) -> None:
    client = api_client.bearer(token_for(billing.world.supervisor.user, "read"))
    month = billing.period.strftime("%Y-%m")

    found = client.get(LIST, {"month": month, "company": str(billing.world.acme.pk)}).json()["results"]

    assert [row["number"] for row in found] == [issued.number]


def test_statements_cannot_be_written(
    api_client: ApiTestClient, token_for: TokenFor, billing: Billing, issued: Statement
) -> None:
    client = api_client.bearer(token_for(billing.world.admin.user, "write"))

    assert client.post(LIST, {}, format="json").status_code == 405
    assert client.delete(f"{LIST}{issued.number}/").status_code == 405
    assert Statement.objects.filter(pk=issued.pk).exists()


def test_the_list_costs_the_same_queries_for_many_statements(
    api_client: ApiTestClient,
    token_for: TokenFor,
    billing: Billing,
    issued: Statement,
    globex_issued: Statement,
    django_assert_max_num_queries: object,
) -> None:
    client = api_client.bearer(token_for(billing.world.supervisor.user, "read"))

    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = client.get(LIST)

    assert len(response.json()["results"]) == 2
