"""Importing clients from Excel in the browser: the template downloaded and filled in, the
preview, the import with invitations, and an imported contact who signs in and opens a
ticket. Also the routing page, whose rule then decides that ticket's queue."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from atiende.tickets.models import Ticket
from tests.browser.conftest import check_accessibility, sign_in, sign_in_to_desk, sign_out, snap
from tests.browser.test_desk_setup import _choose_password, _link
from tests.conftest import World

pytestmark = pytest.mark.browser


def test_a_contact_imported_from_excel_signs_in_and_opens_a_ticket(
    page: Page, world: World, tmp_path: Path
) -> None:
    sign_in_to_desk(page, world.admin.user.email)
    page.goto("/desk/setup/")
    page.get_by_role("link", name="Importar desde Excel o CSV").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importar desde Excel o CSV")
    snap(page, "setup-import")
    check_accessibility(page, "setup-import")

    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar la plantilla de Excel").click()
    template = tmp_path / "plantilla.xlsx"
    download.value.save_as(template)
    book = openpyxl.load_workbook(template)
    sheet = book.active
    assert sheet is not None
    sheet.delete_rows(2)  # the example row
    sheet.append(["Umbrella S.A.", "900555111-2", "umbrella.test", "Sede Centro", "Cra 7 # 32-10",
                  "Pedro Páez", "pedro@umbrella.test", "+57 601 555 0199", "12", "Sistemas"])  # fmt: skip
    sheet.append(
        ["Umbrella S.A.", "900555111-2", "", "Sede Centro", "", "Rosa Ruiz", "rosa@umbrella.test", "", "", ""]
    )
    book.save(template)

    page.locator("#id_file").set_input_files(template)
    page.get_by_role("button", name="Ver la vista previa").click()
    expect(page.get_by_role("heading", name="3. Vista previa")).to_be_visible()
    expect(page.get_by_text("2 filas, todas válidas")).to_be_visible()
    snap(page, "setup-import-preview")
    check_accessibility(page, "setup-import-preview")
    page.get_by_label("Enviar invitaciones").check()
    page.get_by_role("button", name="Importar 2 filas").click()
    expect(page.get_by_text("Importado: 1 empresas")).to_be_visible()

    page.goto("/desk/setup/routing/")
    page.locator("#id_organization").select_option(label="Umbrella S.A.")
    page.locator("#id_queue").select_option(label="Redes")
    page.get_by_role("button", name="Guardar la regla").click()
    expect(page.locator("table").get_by_text("Umbrella S.A.")).to_be_visible()
    snap(page, "setup-routing")
    check_accessibility(page, "setup-routing")
    sign_out(page)

    _choose_password(page, _link("pedro@umbrella.test", "contact_invitation"), "paraguas-azul-2026")
    sign_in(page, "pedro@umbrella.test", "paraguas-azul-2026")
    page.goto("/portal/tickets/new/")
    expect(page.get_by_text("Las solicitudes de su empresa van a Redes")).to_be_visible()
    expect(page.get_by_label("Para")).to_have_count(0)
    snap(page, "portal-new-ticket-routed")
    page.get_by_label("Servicio").select_option(index=1)
    page.get_by_label("Asunto").fill("Sin internet en la Sede Centro")
    page.get_by_label("Texto").fill("Desde las 8:00 no carga ninguna página en la sede.")
    page.locator("form:has(textarea[name=text]) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/portal/tickets/\d+/"))
    ticket = Ticket.objects.get(subject="Sin internet en la Sede Centro")
    assert (ticket.organization.name, ticket.requester.user.email, ticket.queue) == (
        "Umbrella S.A.",
        "pedro@umbrella.test",
        world.redes,
    )
