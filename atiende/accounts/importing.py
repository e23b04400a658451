"""Importing client companies, their sites and contacts from a spreadsheet (xlsx or CSV).

One row is one contact of a company (or only a company, or a company's site). The file is
read and checked whole first (`read_table`, `plan_import`): every problem is named by line,
column and reason, and nothing is written until every row is valid. `apply_import` then
writes it all in one transaction. Existing companies are found by tax id (else by name) and
existing contacts by email, and are updated rather than duplicated; the plan says so.

Hostile files: a size limit, a row limit, a zip check before opening an xlsx (a few KB
can unpack to gigabytes), cells read as values (a formula's text is kept as text, never
run), CSV in UTF-8 (with or without BOM) or Windows-1252/Latin-1, comma or semicolon.
An address that belongs to an engineer or to another company's contact is refused: an
import never moves people between clients.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atiende.accounts import directory, invitations
from atiende.accounts.models import Contact, Location, Membership, Organization, User
from atiende.errors import InvalidValue, NotAllowed

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
_Refuse = Callable[[str, str], None]
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as written in the template (Spanish, as the file's readers speak)
    max_length: int
    help: str | Promise


COLUMNS = (
    Column("company", "Empresa", 200, gettext_lazy("Required. The client's name.")),
    Column("tax_id", "NIT", 40, gettext_lazy("Tax id: finds the company if it already exists.")),
    Column("domains", "Dominios de correo", 500, gettext_lazy("Comma-separated, e.g. acme.com.co")),
    Column("site", "Sede", 200, gettext_lazy("A site of the company (added if new).")),
    Column("site_address", "Dirección de la sede", 500, ""),
    Column("full_name", "Nombre del contacto", 150, gettext_lazy("Required with an email.")),
    Column("email", "Correo", 254, gettext_lazy("Finds the contact if it already exists.")),
    Column("phone", "Teléfono", 40, ""),
    Column("extension", "Extensión", 20, ""),
    Column("area", "Área", 120, ""),
)
HEADERS = [column.header for column in COLUMNS]
_BY_KEY = {column.key: column for column in COLUMNS}
EXAMPLE_ROW = [
    "Acme S.A.S.",
    "900.123.456-7",
    "acme.com.co",
    "Sede Chicó",
    "Calle 93 # 11-26, Bogotá",
    "Ana María Pérez",
    "ana.perez@acme.com.co",
    "+57 601 555 0101",
    "101",
    "Contabilidad",
]


class ImportRefused(InvalidValue):
    """The file as a whole cannot be read (size, kind, headers, rows)."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class PlannedRow:
    line: int
    values: dict[str, str]
    company: str = ""  # "new" or "update"
    contact: str = ""  # "new", "update" or ""
    site: str = ""  # "new", "existing" or ""
    errors: list[RowError] = field(default_factory=list)


@dataclass
class Plan:
    rows: list[PlannedRow]

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors

    @property
    def summary(self) -> dict[str, int]:
        companies: dict[str, str] = {}
        sites: set[str] = set()
        for row in self.rows:
            companies.setdefault(_company_key(row.values), row.company)
            if row.site == "new":
                sites.add(f"{_company_key(row.values)}|{row.values['site'].lower()}")
        return {
            "rows": len(self.rows),
            "new_companies": sum(1 for action in companies.values() if action == "new"),
            "updated_companies": sum(1 for action in companies.values() if action == "update"),
            "new_sites": len(sites),
            "new_contacts": sum(1 for row in self.rows if row.contact == "new"),
            "updated_contacts": sum(1 for row in self.rows if row.contact == "update"),
        }


@dataclass(frozen=True)
class Result:
    companies: int
    sites: int
    contacts_created: int
    contacts_updated: int
    invited: int


# --- reading the file ---------------------------------------------------------------------


def _normal(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())


_HEADER_KEYS = {_normal(column.header): column.key for column in COLUMNS}


def _cell_text(value: object) -> str:
    """A cell as the text a person sees; numbers without a trailing .0 (a NIT or a phone
    typed as a number), dates as ISO. Formulas arrive as their text and stay text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return " ".join(str(value).replace("\x00", "").split())


def read_table(filename: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """The rows of the file (line number as a spreadsheet shows it, values by column key),
    empty rows left out. Refuses, with the reason, what cannot be read."""
    if len(content) > MAX_BYTES:
        raise ImportRefused(
            "file",
            _("The file is larger than %(size)s MB: split it into several files.")
            % {"size": MAX_BYTES // (1024 * 1024)},
        )
    if not content:
        raise ImportRefused("file", _("The file is empty."))
    name = filename.lower()
    if name.endswith(".xlsx"):
        lines = _xlsx_lines(content)
    elif name.endswith((".csv", ".txt")):
        lines = _csv_lines(content)
    else:
        raise ImportRefused("file", _("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
    header = next(lines, None)
    if header is None:
        raise ImportRefused("file", _("The file has no rows."))
    keys = [_HEADER_KEYS.get(_normal(_cell_text(title)), "") for title in header]
    if "company" not in keys or ("email" not in keys and "full_name" in keys):
        raise ImportRefused(
            "file",
            _("The first row must hold the template's headers: %(headers)s.")
            % {"headers": ", ".join(HEADERS)},
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for line, cells in enumerate(lines, start=2):
        values = dict.fromkeys(_BY_KEY, "")
        for key, cell in zip(keys, cells, strict=False):
            if key:
                values[key] = _cell_text(cell)
        if not any(values.values()):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportRefused(
                "file",
                _("The file has more than %(max)s rows: split it into several files.")
                % {"max": number_format(MAX_ROWS, force_grouping=True)},
            )
        rows.append((line, values))
    if not rows:
        raise ImportRefused("file", _("The file has headers but no rows to import."))
    return rows


def _xlsx_lines(content: bytes) -> Iterator[list[object]]:
    from openpyxl import load_workbook  # loaded only when an xlsx comes: it is heavy
    from openpyxl.utils.exceptions import InvalidFileException

    not_excel = ImportRefused(
        "file", _("This is not a valid Excel workbook (.xlsx); save it again as .xlsx or CSV.")
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise ImportRefused(
                    "file", _("The workbook unpacks to too much data: split it into several files.")
                )
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise not_excel from error
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as error:
        raise not_excel from error
    finally:
        workbook.close()


def _csv_lines(content: bytes) -> Iterator[list[object]]:
    if content.startswith(b"\xef\xbb\xbf"):
        text = content[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")  # Excel's "CSV" in Spanish
    if "\x00" in text[:1000]:
        raise ImportRefused("file", _("This is not a text CSV file; save it again as CSV (UTF-8)."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


# --- checking the rows --------------------------------------------------------------------


def _tax_key(tax_id: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", tax_id).upper()


def _company_key(values: dict[str, str]) -> str:
    return (
        f"t:{_tax_key(values['tax_id'])}" if _tax_key(values["tax_id"]) else f"n:{values['company'].lower()}"
    )


@dataclass
class _Known:
    by_tax: dict[str, Organization]
    by_name: dict[str, Organization]
    users: dict[str, User]
    memberships: dict[int, set[int]]  # contact id → company ids
    sites: set[tuple[int, str]]


def _known(rows: list[tuple[int, dict[str, str]]]) -> _Known:
    organizations = list(Organization.objects.all())
    emails = {values["email"].lower() for _line, values in rows if values["email"]}
    users: dict[str, User] = {}
    email_list = sorted(emails)
    for start in range(0, len(email_list), 500):  # SQLite limits a query's parameters
        chunk = email_list[start : start + 500]
        for user in User.objects.filter(email__in=chunk).select_related("contact", "agent"):
            users[user.email.lower()] = user
    contact_ids = [user.contact.pk for user in users.values() if user.contact_or_none]
    memberships: dict[int, set[int]] = {}
    for start in range(0, len(contact_ids), 500):
        for contact_id, company_id in Membership.objects.filter(
            contact_id__in=contact_ids[start : start + 500]
        ).values_list("contact_id", "organization_id"):
            memberships.setdefault(contact_id, set()).add(company_id)
    return _Known(
        by_tax={_tax_key(o.tax_id): o for o in organizations if _tax_key(o.tax_id)},
        by_name={o.name.lower(): o for o in organizations},
        users=users,
        memberships=memberships,
        sites={
            (org_id, name.lower()) for org_id, name in Location.objects.values_list("organization_id", "name")
        },
    )


def plan_import(rows: list[tuple[int, dict[str, str]]]) -> Plan:
    """What importing these rows would do, and every problem, row by row. Reads only."""
    known = _known(rows)
    plan = Plan([])
    seen_emails: dict[str, int] = {}
    companies_in_file: dict[str, str] = {}  # company key → name as first written
    for line, values in rows:
        row = PlannedRow(line, values)
        plan.rows.append(row)

        def refuse(key: str, message: str, *, row: PlannedRow = row) -> None:
            row.errors.append(RowError(row.line, _BY_KEY[key].header, message))

        for key, column in _BY_KEY.items():
            if len(values[key]) > column.max_length:
                refuse(key, _("At most %(max)s characters.") % {"max": column.max_length})
        if not values["company"]:
            refuse("company", _("Write the company's name."))
            continue
        existing = _check_company(row, known, companies_in_file, refuse)
        for domain in (d.strip().lower().lstrip("@") for d in values["domains"].split(",")):
            if domain and not _DOMAIN.match(domain):
                refuse(
                    "domains",
                    _("“%(domain)s” is not an email domain (e.g. acme.com.co).") % {"domain": domain},
                )
        if values["site"]:
            row.site = (
                "existing" if existing and (existing.pk, values["site"].lower()) in known.sites else "new"
            )
        elif values["site_address"]:
            refuse("site", _("Write the site's name for this address."))
        _check_contact(row, known, existing, seen_emails, refuse)
    return plan


def _check_company(
    row: PlannedRow, known: _Known, in_file: dict[str, str], refuse: _Refuse
) -> Organization | None:
    values = row.values
    tax = _tax_key(values["tax_id"])
    by_tax = known.by_tax.get(tax) if tax else None
    by_name = known.by_name.get(values["company"].lower())
    if by_tax is not None and by_name is not None and by_tax.pk != by_name.pk:
        refuse(
            "tax_id",
            _("This tax id is of %(other)s, and another company is named %(name)s.")
            % {"other": by_tax.name, "name": by_name.name},
        )
    elif by_tax is None and by_name is not None and tax and _tax_key(by_name.tax_id) not in {"", tax}:
        refuse(
            "tax_id",
            _("%(name)s exists with another tax id (%(tax)s).")
            % {"name": by_name.name, "tax": by_name.tax_id},
        )
    key = _company_key(values)
    first_name = in_file.setdefault(key, values["company"])
    if first_name.lower() != values["company"].lower():
        refuse("company", _("An earlier row names this tax id %(name)s.") % {"name": first_name})
    existing = by_tax or by_name
    row.company = "update" if existing is not None else "new"
    return existing


def _check_contact(
    row: PlannedRow, known: _Known, company: Organization | None, seen: dict[str, int], refuse: _Refuse
) -> None:
    values = row.values
    email = values["email"].lower()
    if not email:
        if values["full_name"] or values["phone"]:
            refuse("email", _("Write the contact's email: it is how they sign in."))
        return
    try:
        validate_email(email)
    except ValidationError:
        refuse("email", _("“%(email)s” is not a valid email address.") % {"email": values["email"]})
        return
    if not values["full_name"]:
        refuse("full_name", _("Write the contact's name."))
    if email in seen:
        refuse("email", _("This address is already on line %(line)s.") % {"line": seen[email]})
        return
    seen[email] = row.line
    user = known.users.get(email)
    if user is None:
        row.contact = "new"
        return
    if user.agent_or_none is not None:
        refuse("email", _("This address is of a member of your team, not of a client."))
        return
    contact = user.contact_or_none
    if contact is None:
        refuse("email", _("There is already an account with this email address."))
        return
    companies = known.memberships.get(contact.pk, set())
    if company is None or company.pk not in companies:
        others = Organization.objects.filter(pk__in=companies).values_list("name", flat=True)
        refuse(
            "email",
            _("This address is of a contact of another company (%(companies)s): change it in the directory.")
            % {"companies": ", ".join(others) or "—"},
        )
        return
    row.contact = "update"


# --- writing ------------------------------------------------------------------------------


def apply_import(actor: User, rows: list[tuple[int, dict[str, str]]], *, send_invitations: bool) -> Result:
    """Write the whole file in one transaction, after checking it again as it stands now:
    with one invalid row, nothing is written (`ImportRefused`)."""
    if not directory.may_keep_companies(actor):
        raise NotAllowed(_("Only supervisors and administrators can import companies and contacts."))
    plan = plan_import(rows)
    if not plan.is_valid:
        raise ImportRefused("file", _("The file has errors: correct them and upload it again."))
    companies: dict[str, Organization] = {}
    sites: set[tuple[int, str]] = set()
    created = updated = invited = 0
    with transaction.atomic():
        for row in plan.rows:
            values = row.values
            key = _company_key(values)
            company = companies.get(key)
            if company is None:
                company = companies[key] = _save_company(actor, values)
            if values["site"] and (company.pk, values["site"].lower()) not in sites:
                sites.add((company.pk, values["site"].lower()))
                if row.site == "new" and not company.locations.filter(name__iexact=values["site"]).exists():
                    directory.add_location(
                        actor, company, name=values["site"], address=values["site_address"]
                    )
            if row.contact == "new":
                invitations.create_contact(
                    actor,
                    email=values["email"],
                    full_name=values["full_name"],
                    organization=company,
                    phone=values["phone"],
                    extension=values["extension"],
                    area=values["area"],
                    invite=send_invitations,
                )
                created += 1
                invited += send_invitations
            elif row.contact == "update":
                _update_contact(actor, values)
                updated += 1
    return Result(len(companies), sum(1 for row in plan.rows if row.site == "new"), created, updated, invited)


def _save_company(actor: User, values: dict[str, str]) -> Organization:
    tax = _tax_key(values["tax_id"])
    existing = (
        next((o for o in Organization.objects.exclude(tax_id="") if tax and _tax_key(o.tax_id) == tax), None)
        or Organization.objects.filter(name__iexact=values["company"]).first()
    )
    fields: dict[str, object] = {"name": values["company"]}
    if values["tax_id"]:
        fields["tax_id"] = values["tax_id"]
    domains = [d.strip().lower().lstrip("@") for d in values["domains"].split(",") if d.strip()]
    if existing is not None:
        domains = list(dict.fromkeys([*existing.domain_list(), *domains]))
    if domains:
        fields["email_domains"] = ", ".join(domains)
    return directory.save_organization(actor, existing, **fields)


def _update_contact(actor: User, values: dict[str, str]) -> Contact:
    user = User.objects.select_related("contact").get(email__iexact=values["email"])
    contact = user.contact
    return directory.update_contact(
        actor,
        contact,
        full_name=values["full_name"] or user.full_name,
        phone=values["phone"] or contact.phone,
        extension=values["extension"] or contact.extension,
        area=values["area"] or contact.area,
        language=user.language,
    )


def template_rows() -> tuple[list[str], list[list[str]]]:
    """The headers and one example row, for the template to download."""
    return HEADERS, [EXAMPLE_ROW]
