"""The ticket lists as spreadsheets, for the client's review meetings."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from atiende.tickets.models import Ticket

MAX_ROWS = 10_000


def _rows(tickets: Iterable[Ticket]) -> Iterable[list[object]]:
    for ticket in tickets:
        yield [
            ticket.number,
            ticket.subject,
            ticket.status.portal_name,
            str(ticket.type),
            str(ticket.priority),
            ticket.queue.name,
            str(ticket.service or ""),
            str(ticket.category or ""),
            ticket.location.name if ticket.location else "",
            ticket.requester.user.get_full_name(),
            timezone.localtime(ticket.created_at).replace(tzinfo=None),
            timezone.localtime(ticket.last_activity_at).replace(tzinfo=None),
        ]


def _headers() -> list[str]:
    return [
        _("Number"), _("Subject"), _("Stage"), _("Type"), _("Priority"), _("To"), _("Service"),
        _("Category"), _("Location"), _("Created by"), _("Created"), _("Last update"),
    ]  # fmt: skip


def as_csv(tickets: Iterable[Ticket], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the accents right
    writer = csv.writer(response)
    writer.writerow(_headers())
    for row in _rows(tickets):
        writer.writerow([f"{cell:%Y-%m-%d %H:%M}" if hasattr(cell, "strftime") else cell for cell in row])
    return response


def as_xlsx(tickets: Iterable[Ticket], filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(_("Tickets"))
    bold = workbook.add_format({"bold": True})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(0, 0, _headers(), bold)
    for index, row in enumerate(_rows(tickets), start=1):
        for column, cell in enumerate(row):
            if hasattr(cell, "strftime"):
                sheet.write_datetime(index, column, cell, when)
            else:
                sheet.write(index, column, cell)
    sheet.set_column(1, 1, 50)
    sheet.set_column(2, 11, 18)
    sheet.freeze_panes(1, 0)
    workbook.close()
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
