"""The review's pages and files in the desk and the portal: the same figures on the page,
in the PDF (read back with pdftotext) and in the workbook (read back with openpyxl); and
nobody else's review."""

import io
import subprocess

import openpyxl
import pytest
from django.urls import reverse

from tests.reports.test_pages import sign_in

MONTH = "2025-11"


def _acme(world, name, month=MONTH, *extra):
    if name.startswith("portal:"):
        return reverse(name, args=[month, *extra]) + f"?company={world.acme.pk}"
    return reverse(name, args=[world.acme.pk, month, *extra])


def _pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_a_supervisor_reads_a_companys_months_and_its_review(client, world, november):
    a, _b, c, d = november
    sign_in(client, world.supervisor)
    companies = client.get(reverse("reports:reviews")).content.decode()
    assert "Acme S.A.S." in companies and "Globex Ltda." in companies
    months = client.get(reverse("reports:review-months", args=[world.acme.pk])).content.decode()
    assert _acme(world, "reports:review") in months
    page = client.get(_acme(world, "reports:review")).content.decode()
    assert "Tardaron = demasiado" in page
    assert f"#{a.number}" in page and f"#{c.number}" in page and f"#{d.number}" in page
    assert "66,7 %" in page and "0,8 h" in page and "2,5 h" in page


def test_the_pdf_and_the_workbook_hold_the_pages_figures(client, world, november):
    a, b, c, _d = november
    sign_in(client, world.supervisor)
    response = client.get(_acme(world, "reports:review-download", MONTH, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for expected in (
        "Acme S.A.S.",
        "noviembre 2025",
        "66,7 %",
        "100 %",
        "0,8 h",
        "2,5 h",
        f"#{a.number}",
        "Tardaron = demasiado",
        f"#{c.number}",
    ):
        assert expected in text, expected
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(_acme(world, "reports:review-download", MONTH, "xlsx")).content)
    )
    rows = [tuple(cell for cell in row) for row in workbook.active.iter_rows(values_only=True)]
    cells = {row[0]: row[1:] for row in rows if row and row[0]}
    assert cells["Primera respuesta"][:4] == (3, 2, 1, 66.7)
    assert cells["Resolución"][:4] == (2, 2, 0, 100)
    assert cells[f"#{a.number}"][:5] == ("A", "Primera respuesta", 60, 120, 60)
    assert cells[f"#{b.number}"][:2] == ("Insatisfecho", "Tardaron = demasiado")
    assert f"#{c.number}" in cells


def test_the_email_preview_shows_what_the_contacts_will_get(client, world, november):
    sign_in(client, world.supervisor)
    page = client.get(_acme(world, "reports:review-email")).content.decode()
    assert "Acme S.A.S." in page and "revision-mensual-" in page
    assert _acme(world, "portal:review") in page


def test_turning_the_monthly_email_on_needs_a_company_wide_contact(client, world, november):
    sign_in(client, world.supervisor)
    url = reverse("reports:review-sending", args=[world.acme.pk])
    refused = client.post(url, {"enabled": "on", "contacts": [world.luis.pk]})
    assert refused.status_code == 400  # luis sees only his own tickets
    assert client.post(url, {"enabled": "on"}).status_code == 400
    forged = client.post(url, {"enabled": "on", "contacts": ["9" * 30]})
    assert forged.status_code == 400
    assert client.post(url, {"enabled": "on", "contacts": [world.ana.pk]}).status_code == 302
    world.acme.review_sending.refresh_from_db()
    assert world.acme.review_sending.enabled
    assert list(world.acme.review_sending.contacts.all()) == [world.ana]


def test_agents_contacts_and_strangers_never_open_the_desk_review(client, world, november):
    for person in (world.agente, world.ana):
        client.logout()
        sign_in(client, person)
        for url in (
            reverse("reports:reviews"),
            reverse("reports:review-months", args=[world.acme.pk]),
            _acme(world, "reports:review"),
            _acme(world, "reports:review-download", MONTH, "pdf"),
            _acme(world, "reports:review-email"),
        ):
            assert client.get(url).status_code == 404, (person, url)
        assert (
            client.post(
                reverse("reports:review-sending", args=[world.acme.pk]), {"enabled": "on"}
            ).status_code
            == 404
        )


def test_a_company_wide_contact_reads_and_downloads_the_review_in_the_portal(client, world, november):
    sign_in(client, world.ana)
    index = client.get(reverse("portal:reviews")).content.decode()  # Acme: her only company
    assert _acme(world, "portal:review") in index
    page = client.get(_acme(world, "portal:review")).content.decode()
    assert "Tardaron = demasiado" in page and "66,7 %" in page
    assert (
        client.get(_acme(world, "portal:review-download", MONTH, "pdf"))["Content-Type"] == "application/pdf"
    )
    assert client.get(_acme(world, "portal:review-download", MONTH, "xlsx")).status_code == 200


@pytest.mark.parametrize(
    "month",
    ["2025-12", "2030-01", "2025-13", "2025-1", "0000-00", "9" * 40, "2025-11'--", "%00", "2024-11"],
)
def test_a_month_without_a_review_is_a_404(client, world, november, month):
    sign_in(client, world.ana)
    assert client.get(reverse("portal:review", args=[month])).status_code == 404


def test_other_contacts_and_other_companies_get_a_404(client, world, november):
    sign_in(client, world.luis)  # Acme, sees only his own tickets
    assert client.get(reverse("portal:reviews")).status_code == 404
    assert client.get(_acme(world, "portal:review")).status_code == 404
    client.logout()
    sign_in(client, world.carla)  # Globex sees all of Globex, nothing of Acme
    assert client.get(_acme(world, "portal:review")).status_code == 404
    assert client.get(_acme(world, "portal:review-download", MONTH, "pdf")).status_code == 404
    for forged in (str(10**30), "-1", "abc", "", str(world.globex.pk) + "'"):
        assert client.get(reverse("portal:review", args=[MONTH]) + f"?company={forged}").status_code == 404
    # Her own company's review (nothing in November) names nothing of Acme's.
    own = client.get(reverse("portal:review", args=[MONTH]))
    assert own.status_code == 404 or "Acme" not in own.content.decode()
    assert client.get(_acme(world, "portal:review-download", MONTH, "csv")).status_code == 404


def test_the_companies_come_a_page_at_a_time_and_are_found_by_name(client, world):
    from atiende.accounts.models import Organization
    from atiende.reviews.models import ReviewSending
    from tests.factories import OrganizationFactory

    for index in range(60):
        OrganizationFactory.create(name=f"Cliente {index:02d} S.A.S.")
    ReviewSending.objects.create(organization=world.acme, enabled=True)
    sign_in(client, world.supervisor)
    companies = Organization.objects.filter(is_active=True).count()
    assert companies > 50
    first = client.get(reverse("reports:reviews")).content.decode()
    second = client.get(reverse("reports:reviews") + "?page=2").content.decode()
    assert first.count('<th scope="row">') == 50 and "page=2" in first
    assert second.count('<th scope="row">') == companies - 50
    assert "Acme S.A.S." in first and "Cliente 59" in second  # by name
    found = client.get(reverse("reports:reviews"), {"q": "  acme\x00 "}).content.decode()
    assert "Acme S.A.S." in found and "Cliente" not in found
    assert "badge-ok" in found  # its monthly email is on
    nothing = client.get(reverse("reports:reviews"), {"q": "<b>zzz</b>"}).content.decode()
    assert "&lt;b&gt;zzz&lt;/b&gt;" in nothing and "<b>zzz</b>" not in nothing
