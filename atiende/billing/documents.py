"""An issued statement as files: PDF (WeasyPrint), Excel and CSV (the house writer, where
user text is never a formula), and JSON for accounting systems."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from atiende import exports
from atiende import pdf as documents_pdf
from atiende.billing.models import LineKind, Statement, StatementLine
from atiende.billing.pricing import format_hours

HOURS = Decimal("60")


def headers() -> list[str]:
    return [
        _("Statement"),
        _("Line"),
        _("Kind"),
        _("Ticket"),
        _("Date"),
        _("Engineer"),
        _("Description"),
        _("Minutes"),
        _("Billed minutes"),
        _("After hours (min)"),
        _("Hours from the bank"),
        _("Hours charged"),
        _("Rate"),
        _("Amount"),
    ]


def rows(statement: Statement) -> list[list[Any]]:
    table: list[list[Any]] = []
    for line in statement.lines.order_by("position"):
        table.append(
            [
                statement.number,
                line.position,
                line.get_kind_display(),
                f"#{line.ticket_number}" if line.ticket_number else "",
                line.work_date,
                line.engineer,
                line.description,
                line.minutes or None,
                line.billed_minutes or None,
                line.after_hours_minutes or None,
                _hours(line.bank_minutes),
                _hours(line.charged_minutes),
                line.rate or None,
                line.amount if line.kind != LineKind.ENTRY else None,
            ]
        )
    for label, value in (
        (_("Subtotal"), statement.subtotal),
        (_("Tax"), statement.tax),
        (_("Total"), statement.total),
    ):
        table.append(
            [statement.number, None, label, "", None, "", "", None, None, None, None, None, None, value]
        )
    return table


def _hours(minutes: Decimal) -> Decimal | None:
    return (Decimal(minutes) / HOURS).quantize(Decimal("0.01")) if minutes else None


def filename(statement: Statement, extension: str) -> str:
    return f"estado-de-cuenta-{statement.number}.{extension}"


def xlsx(statement: Statement) -> bytes:
    return exports.xlsx_bytes(
        statement.number, headers(), rows(statement), widths={2: 18, 5: 22, 6: 40, 13: 16}
    )


def as_json(statement: Statement) -> dict[str, Any]:
    """The statement for accounting systems: amounts as strings (exact decimals)."""
    return {
        "number": statement.number,
        "company": {
            "id": statement.organization_id,
            "name": statement.organization.name,
            "tax_id": statement.organization.tax_id,
        },
        "contract": statement.contract_id,
        "period": statement.period.strftime("%Y-%m"),
        "currency": statement.currency,
        "issued_at": statement.issued_at.isoformat(),
        "subtotal": str(statement.subtotal),
        "tax": str(statement.tax),
        "total": str(statement.total),
        "bank": {
            "opening_hours": format_hours(statement.opening_minutes).replace(",", "."),
            "drawn_hours": format_hours(statement.drawn_minutes).replace(",", "."),
            "closing_hours": format_hours(statement.closing_minutes).replace(",", "."),
        },
        "seal_sha256": statement.content_sha256,
        "lines": [line_json(line) for line in statement.lines.order_by("position")],
    }


def line_json(line: StatementLine) -> dict[str, Any]:
    return {
        "position": line.position,
        "kind": line.kind,
        "ticket": line.ticket_number,
        "time_entry": line.time_entry_id,
        "date": line.work_date.isoformat() if line.work_date else None,
        "engineer": line.engineer,
        "description": line.description,
        "minutes": line.minutes,
        "billed_minutes": line.billed_minutes,
        "after_hours_minutes": line.after_hours_minutes,
        "bank_minutes": str(line.bank_minutes),
        "charged_minutes": str(line.charged_minutes),
        "rate": str(line.rate),
        "amount": str(line.amount),
    }


def pdf(statement: Statement, language: str | None = None) -> bytes:
    """The statement as PDF, branded and self-contained like every document (`atiende.pdf`)."""
    return documents_pdf.render(
        "billing/statement_pdf.html",
        {"statement": statement, "lines": list(statement.lines.order_by("position"))},
        language,
    )


def statement_pdf_by_id(statement_id: int) -> bytes:
    """For the outbox: the PDF attached to the statement's email, made when sent."""
    return pdf(Statement.objects.select_related("organization").get(pk=statement_id))


def download(statement: Statement, kind: str) -> HttpResponse:
    """The statement as a file to download: pdf, xlsx, csv or json (404 for others)."""
    if kind == "pdf":
        response = HttpResponse(pdf(statement), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename(statement, "pdf")}"'
        return response
    if kind == "xlsx":
        return exports.xlsx_response(
            filename(statement, "xlsx"),
            statement.number,
            headers(),
            rows(statement),
        )
    if kind == "csv":
        return exports.csv_response(filename(statement, "csv"), headers(), rows(statement))
    if kind == "json":
        response = HttpResponse(
            json.dumps(as_json(statement), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename(statement, "json")}"'
        return response
    raise Http404
