"""The supervisors' dashboard (with its Excel download) and the engineers' workload."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from atiende.reports import excel, filters, labels
from atiende.reports.access import agent_user, supervisor_user
from atiende.reports.charts import bar_chart, line_chart, stacked_bar_chart
from atiende.reports.figures import Dashboard, Day, Week
from atiende.reports.figures import dashboard as compute_dashboard
from atiende.reports.workload import workload as compute_workload
from atiende.satisfaction import queries as satisfaction

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Longer periods are drawn week by week, so the lines stay readable.
WEEKLY_AFTER = 62


def _board(request: HttpRequest, names: dict[Any, str] | None = None) -> Dashboard:
    chosen = filters.parse(request.GET)
    return compute_dashboard(chosen, labels.labels_for(chosen.group) if names is None else names)


def _selects(
    board: Dashboard, known: dict[str, dict[Any, str]]
) -> list[tuple[str, StrOrPromise, SafeString]]:
    """Each filter's name, label and `<option>`s, the chosen one selected. Written here in
    one pass: the company filter alone has an option per client company, thousands."""
    chosen = {name: str(value) for name, value in board.filters.chosen.items()}
    selects = []
    for name, choices in labels.filter_options(known).items():
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, " selected" if chosen.get(name) == str(value) else "", label)
                for value, label in choices
            ),
        )
        selects.append((name, filters.GROUP_LABELS[name], options))
    return selects


def _charts(board: Dashboard) -> dict[str, str]:
    points: list[Day] | list[Week] = board.weeks if len(board.days) > WEEKLY_AFTER else board.days
    names = [date_format(point.day, "SHORT_DATE_FORMAT") for point in points]
    groups = board.groups[:12]
    rated = [group for group in board.groups if group.figures.ratings][:12]
    return {
        "satisfaction": stacked_bar_chart(
            [group.label for group in rated],
            {
                _("Unsatisfied"): [g.figures.rating_bad for g in rated],
                _("Neither satisfied nor unsatisfied"): [g.figures.rating_neutral for g in rated],
                _("Satisfied"): [g.figures.rating_good for g in rated],
            },
        ),
        "flow": line_chart(
            names,
            {_("Opened"): [p.opened for p in points], _("Resolved"): [p.resolved for p in points]},
        ),
        "backlog": line_chart(names, {_("Open at the end of the day"): [p.backlog for p in points]}),
        "compliance": bar_chart(
            [group.label for group in groups],
            {
                _("First response on time (%)"): [g.figures.first_response_compliance for g in groups],
                _("Resolution on time (%)"): [g.figures.resolution_compliance for g in groups],
            },
        ),
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The operation at a glance for a period, filtered and broken down as the URL says."""
    supervisor_user(request)
    group = filters.parse(request.GET).group
    names = labels.labels_for(group)
    board = _board(request, names)
    context = {
        "board": board,
        "charts": _charts(board),
        "weekly": len(board.days) > WEEKLY_AFTER,
        "selects": _selects(board, {group: names}),
        "group_labels": filters.GROUP_LABELS,
        "group_label": filters.GROUP_LABELS[board.filters.group],
        "download": board.filters.query(),
        "comments": satisfaction.comments_between(
            board.filters.start,
            board.filters.end,
            {f"ticket__{filters.FILTERS[name]}": value for name, value in board.filters.chosen.items()},
        ),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    supervisor_user(request)
    return excel.dashboard_response(_board(request))


@login_required
@require_GET
def workload(request: HttpRequest) -> HttpResponse:
    """Open, at-risk and waiting tickets and this week's time, per engineer."""
    user, agent = agent_user(request)
    return render(
        request,
        "reports/workload.html",
        {"loads": compute_workload(user), "is_supervisor": agent.sees_all_queues},
    )
