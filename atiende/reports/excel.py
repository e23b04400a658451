"""The dashboard as an Excel download: the breakdown table with its total, then the
daily series, in one sheet, through the shared writer that never lets a name become a
formula."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from atiende import exports
from atiende.reports.figures import Dashboard, Figures
from atiende.reports.filters import GROUP_LABELS


def figure_cells(figures: Figures) -> list[exports.Cell]:
    return [
        figures.opened,
        figures.resolved,
        figures.first_response_median,
        figures.first_response_p90,
        figures.first_response_compliance,
        figures.resolution_median,
        figures.resolution_p90,
        figures.resolution_compliance,
        figures.reopen_rate,
        figures.satisfaction,
        figures.ratings,
        figures.rating_good,
        figures.rating_neutral,
        figures.rating_bad,
    ]


def figure_headers() -> list[exports.Cell]:
    return [
        _("Opened"),
        _("Resolved"),
        _("First response, median (business minutes)"),
        _("First response, p90 (business minutes)"),
        _("First response on time (%)"),
        _("Resolution, median (business minutes)"),
        _("Resolution, p90 (business minutes)"),
        _("Resolution on time (%)"),
        _("Reopen rate (%)"),
        _("Satisfaction (%)"),
        _("Ratings"),
        _("Satisfied"),
        _("Neither satisfied nor unsatisfied"),
        _("Unsatisfied"),
    ]


def dashboard_response(board: Dashboard) -> HttpResponse:
    filters = board.filters
    headers: list[exports.Cell] = [str(GROUP_LABELS[filters.group]), *figure_headers()]
    rows: list[list[exports.Cell]] = [[group.label, *figure_cells(group.figures)] for group in board.groups]
    rows.append([_("Total"), *figure_cells(board.total)])
    rows.append([])
    rows.append([_("Day"), _("Opened"), _("Resolved"), _("Open at the end of the day")])
    rows.extend([[day.day, day.opened, day.resolved, day.backlog] for day in board.days])
    name = f"dashboard-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.xlsx"
    return exports.xlsx_response(name, _("Dashboard"), headers, rows, widths={0: 28})
