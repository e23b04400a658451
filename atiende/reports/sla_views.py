"""Report pages for service levels: the tickets at risk or breached, and the monthly summary
(with its CSV) for supervisors and admins. Everyone else gets a 404, like any desk page
they may not open."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from atiende.accounts.models import Agent
from atiende.reports.access import agent_user
from atiende.sla import queries, report
from atiende.sla.models import TicketSla
from atiende.sla.state import TicketStatus, status_of
from atiende.tickets.models import Ticket

PAGE_SIZE = 50
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class RiskRow:
    ticket: Ticket
    sla: TicketStatus


@login_required
@require_GET
def at_risk(request: HttpRequest) -> HttpResponse:
    """*En riesgo / incumplidos*: the agent's tickets whose targets are at risk or
    breached, least business time left first (or most, with ?sort=-time_left)."""
    user, agent = agent_user(request)
    descending = request.GET.get("sort") == "-time_left"
    now = timezone.now()
    tickets = queries.tickets_at_risk_for_agent(user, now, descending=descending)
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [RiskRow(ticket, status_of(_clocks(ticket), now)) for ticket in page.object_list]
    context = {"page": page, "rows": rows, "descending": descending, "can_report": agent.sees_all_queues}
    return render(request, "reports/at_risk.html", context)


def _clocks(ticket: Ticket) -> TicketSla:
    clocks: TicketSla = ticket.sla  # type: ignore[attr-defined, unused-ignore]
    return clocks


def _supervisor(request: HttpRequest) -> Agent:
    _user, agent = agent_user(request)
    if not agent.sees_all_queues:
        raise Http404
    return agent


def _month(request: HttpRequest) -> tuple[int, int]:
    match = MONTH.match(request.GET.get("month", ""))
    if match and 1 <= int(match[2]) <= 12 and 2000 <= int(match[1]) <= 2999:
        return int(match[1]), int(match[2])
    today = timezone.localdate()
    return today.year, today.month


@login_required
@require_GET
def monthly_report(request: HttpRequest) -> HttpResponse:
    """The month's summary per company and queue."""
    _supervisor(request)
    year, month = _month(request)
    first = datetime.date(year, month, 1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    context = {
        "rows": report.monthly_summary(year, month),
        "month": first,
        "month_value": f"{year:04d}-{month:02d}",
        "previous": f"{previous:%Y-%m}",
        "following": f"{following:%Y-%m}" if following <= timezone.localdate() else "",
    }
    return render(request, "reports/sla_report.html", context)


@login_required
@require_GET
def monthly_report_csv(request: HttpRequest) -> HttpResponse:
    _supervisor(request)
    year, month = _month(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sla-{year:04d}-{month:02d}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the accents right
    response.write(report.summary_csv(report.monthly_summary(year, month)))
    return response
