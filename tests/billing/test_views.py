"""The billing pages as their users and as attackers."""

from __future__ import annotations

import io

import openpyxl
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from atiende.accounts.models import Membership
from atiende.billing import actions
from atiende.billing.models import Adjustment, Statement
from tests.billing.conftest import Billing, record


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_supervisor_previews_issues_and_downloads(billing: Billing) -> None:
    record(billing, billing.ticket, 690, 3)
    client = signed_in(billing.world.supervisor.user)
    month = billing.period.strftime("%Y-%m")
    draft = client.get(reverse("billing:draft", args=[billing.world.acme.pk]), {"month": month})
    assert draft.status_code == 200
    assert "$ 267.750,00" in draft.content.decode()
    issued = client.post(reverse("billing:draft", args=[billing.world.acme.pk]), {"month": month})
    statement = Statement.objects.get()
    assert issued.status_code == 302 and issued["Location"].endswith(f"/statements/{statement.number}/")
    page = client.get(issued["Location"])
    assert "$ 267.750,00" in page.content.decode()
    pdf = client.get(reverse("billing:download", args=[statement.number, "pdf"]))
    assert "267.750,00" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    xlsx = client.get(reverse("billing:download", args=[statement.number, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert [row[13] for row in sheet.iter_rows(values_only=True)][-1] == 267750
    exported = client.get(reverse("billing:export"), {"month": month}).content.decode("utf-8-sig")
    assert statement.number in exported and "267750" in exported.replace(".00", "")
    as_json = client.get(reverse("billing:download", args=[statement.number, "json"])).json()
    assert as_json["total"] == "267750.00"
    assert client.get(reverse("billing:download", args=[statement.number, "exe"])).status_code == 404


def test_issuing_twice_says_so_and_keeps_one(billing: Billing) -> None:
    client = signed_in(billing.world.admin.user)
    url = reverse("billing:draft", args=[billing.world.acme.pk])
    month = billing.period.strftime("%Y-%m")
    client.post(url, {"month": month})
    again = client.post(url, {"month": month})
    assert again.status_code == 200 and "ya se emitió" in again.content.decode().lower()
    assert Statement.objects.count() == 1


def test_a_bad_adjustment_keeps_what_was_typed(billing: Billing) -> None:
    statement = actions.issue_statement(billing.world.admin.user, billing.world.acme, billing.period)
    client = signed_in(billing.world.admin.user)
    url = reverse("billing:adjust", args=[statement.number])
    answer = client.post(url, {"amount": "doce", "reason": "Hora repetida en #1"})
    assert answer.status_code == 400
    body = answer.content.decode()
    assert 'value="doce"' in body and 'value="Hora repetida en #1"' in body
    assert client.post(url, {"amount": "-12000", "reason": "Hora repetida"}).status_code == 302
    assert Adjustment.objects.get().amount == -12000


def test_agents_and_contacts_do_not_reach_the_desk_pages(billing: Billing) -> None:
    statement = actions.issue_statement(billing.world.admin.user, billing.world.acme, billing.period)
    for user in (billing.world.agente.user, billing.world.ana.user):
        client = signed_in(user)
        assert client.get(reverse("billing:index")).status_code == 404
        assert client.get(reverse("billing:statement", args=[statement.number])).status_code == 404
        assert client.post(reverse("billing:draft", args=[billing.world.acme.pk])).status_code == 404
    assert Statement.objects.count() == 1


def test_forged_contract_of_another_company_is_a_404(billing: Billing) -> None:
    client = signed_in(billing.world.admin.user)
    url = reverse("billing:draft", args=[billing.world.globex.pk])
    assert client.get(url, {"contract": billing.contract.pk}).status_code == 404
    assert client.get(url, {"contract": "1" * 40}).status_code == 404
    assert client.get(url, {"contract": "²"}).status_code == 404
    assert client.get(url, {"month": "9999-99"}).status_code == 200


def test_my_services_for_the_billing_contact_with_links_to_tickets(billing: Billing) -> None:
    record(billing, billing.ticket, 60, 3)
    statement = actions.issue_statement(billing.world.admin.user, billing.world.acme, billing.period)
    client = signed_in(billing.world.ana.user)
    services = client.get(reverse("billing-portal:services"))
    assert services.status_code == 200 and statement.number in services.content.decode()
    page = client.get(reverse("billing-portal:statement", args=[statement.number])).content.decode()
    assert reverse("portal:ticket-detail", args=[billing.ticket.number]) in page
    pdf = client.get(reverse("billing-portal:download", args=[statement.number, "pdf"]))
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert client.get(reverse("billing-portal:download", args=[statement.number, "json"])).status_code == 404


def test_other_companies_and_plain_contacts_get_404(billing: Billing) -> None:
    statement = actions.issue_statement(billing.world.admin.user, billing.world.acme, billing.period)
    # Carla sees all of Globex's tickets by her company's choice: not its money, and never Acme's.
    for user in (billing.world.carla.user, billing.world.luis.user, billing.world.agente.user):
        client = signed_in(user)
        assert client.get(reverse("billing-portal:statement", args=[statement.number])).status_code == 404
        assert (
            client.get(reverse("billing-portal:download", args=[statement.number, "pdf"])).status_code == 404
        )
    assert signed_in(billing.world.luis.user).get(reverse("billing-portal:services")).status_code == 404
    # Sofía belongs to both companies with the company view at Globex only.
    Membership.objects.filter(contact=billing.world.sofia, organization=billing.world.globex).update(
        sees_company_tickets=True
    )
    sofia = signed_in(billing.world.sofia.user)
    assert sofia.get(reverse("billing-portal:services")).status_code == 200
    assert sofia.get(reverse("billing-portal:statement", args=[statement.number])).status_code == 404
