"""The ticket lists as spreadsheets, for the client's review meetings. The files are
written by `atiende.exports`, which keeps whatever people typed from running as a formula."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from atiende import exports
from atiende.tickets.models import Ticket

MAX_ROWS = 10_000


def _rows(tickets: Iterable[Ticket]) -> Iterable[list[exports.Cell]]:
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


def _headers() -> list[exports.Cell]:
    return [
        _("Number"), _("Subject"), _("Stage"), _("Type"), _("Priority"), _("To"), _("Service"),
        _("Category"), _("Location"), _("Created by"), _("Created"), _("Last update"),
    ]  # fmt: skip


def as_csv(tickets: Iterable[Ticket], filename: str) -> HttpResponse:
    return exports.csv_response(f"{filename}.csv", _headers(), _rows(tickets))


def as_xlsx(tickets: Iterable[Ticket], filename: str) -> HttpResponse:
    widths = {1: 50.0, **dict.fromkeys(range(2, 12), 18.0)}
    return exports.xlsx_response(f"{filename}.xlsx", _("Tickets"), _headers(), _rows(tickets), widths=widths)
