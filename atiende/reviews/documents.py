"""The monthly review as files: PDF (the provider's branded document, `atiende.pdf`) and
Excel (the house writer: a name or a comment never becomes a formula). Both carry the same
figures as the page, from the same `figures.Review`."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from atiende import exports, pdf
from atiende.reviews.figures import Line, Review, build
from atiende.reviews.models import SentReview

PDF_TYPE = "application/pdf"


def filename(review: Review, extension: str) -> str:
    return f"revision-mensual-{review.organization.pk}-{review.period:%Y-%m}.{extension}"


def _section(rows: list[list[exports.Cell]], title: str, headers: list[exports.Cell]) -> None:
    if rows:
        rows.append([])
    rows.append([title])
    rows.append(headers)


def _lines(rows: list[list[exports.Cell]], title: str, lines: list[Line]) -> None:
    _section(rows, title, [_("Name"), _("Requests"), _("Share (%)")])
    rows.extend([line.label, line.count, line.percent] for line in lines)


def rows(review: Review) -> list[list[exports.Cell]]:
    """Every table of the review, one after another, each under its title."""
    figures = review.figures
    table: list[list[exports.Cell]] = []
    _section(table, _("Summary"), [_("Figure"), _("This month"), _("Previous month"), _("Change")])
    for comparison in review.comparisons:
        label = f"{comparison.label} ({comparison.unit})" if comparison.unit else comparison.label
        current = comparison.current
        previous = comparison.previous
        table.append([label, current, previous, comparison.delta])
    _section(
        table,
        _("Service levels"),
        [_("Target"), _("With a target"), _("On time"), _("Late"), _("On time (%)")],
    )
    table.append(
        [
            _("First response"),
            figures.first_response_count,
            figures.first_response_on_time,
            figures.first_response_breached,
            figures.first_response_compliance,
        ]
    )
    table.append(
        [
            _("Resolution"),
            figures.resolution_count,
            figures.resolution_on_time,
            figures.resolution_breached,
            figures.resolution_compliance,
        ]
    )
    _lines(table, _("Requests by type"), review.by_type)
    _lines(table, _("Requests by category"), review.by_category)
    _lines(table, _("Requests by site"), review.by_site)
    _lines(table, _("Requests by channel"), review.by_channel)
    _section(
        table,
        _("Targets missed"),
        [
            _("Ticket"),
            _("Subject"),
            _("Target"),
            _("Allowed (business min)"),
            _("Took (business min)"),
            _("Over by (business min)"),
        ],
    )
    table.extend(
        [f"#{b.number}", b.subject, b.target, b.allowed_minutes, b.taken_minutes, b.over_minutes]
        for b in review.breaches
    )
    _section(table, _("Satisfaction"), [_("Answer"), _("Ratings")])
    table.extend(
        [
            ["🙂 " + _("Satisfied"), figures.rating_good],
            ["😐 " + _("Neither satisfied nor unsatisfied"), figures.rating_neutral],
            ["😞 " + _("Unsatisfied"), figures.rating_bad],
            [_("Satisfaction (%)"), figures.satisfaction],
        ]
    )
    _section(table, _("Comments"), [_("Ticket"), _("Answer"), _("Comment")])
    table.extend(
        [f"#{rating.ticket.number}", rating.get_score_display(), rating.comment] for rating in review.comments
    )
    if review.contract_hours:
        _section(
            table, _("Contract hours"), [_("Contract"), _("Available (h)"), _("Used (h)"), _("Left (h)")]
        )
        table.extend([bank.label, bank.opening, bank.drawn, bank.closing] for bank in review.contract_hours)
    _section(
        table,
        _("Open at the end of the month"),
        [_("Ticket"), _("Subject"), _("Opened"), _("Stage today"), _("Engineer")],
    )
    table.extend(
        [
            f"#{item.number}",
            item.subject,
            timezone.localtime(item.opened_at).date(),
            item.status,
            item.assignee,
        ]
        for item in review.carried
    )
    return table


def xlsx(review: Review) -> bytes:
    title = _("Monthly review %(month)s") % {"month": f"{review.period:%Y-%m}"}
    headers: list[exports.Cell] = [
        f"{review.organization.name} · {date_format(review.period, 'YEAR_MONTH_FORMAT')}"
    ]
    return exports.xlsx_bytes(title, headers, rows(review), widths={0: 42, 1: 40, 2: 16, 3: 16, 4: 16, 5: 16})


def pdf_bytes(review: Review, language: str | None = None) -> bytes:
    return pdf.render("reviews/review_pdf.html", {"review": review}, language)


def review_pdf_for_email(argument: Any) -> bytes:
    """For the outbox: the PDF attached to a sent review, made when the email goes out, in
    the recipients' language (`argument` is `[sent review id, language]`)."""
    sent_id, language = argument
    sent = SentReview.objects.select_related("organization").get(pk=sent_id)
    return pdf_bytes(build(sent.organization, sent.period), language)


def download(review: Review, kind: str) -> HttpResponse:
    """The review as a file: pdf or xlsx (404 for anything else)."""
    if kind == "pdf":
        response = HttpResponse(pdf_bytes(review, translation.get_language()), content_type=PDF_TYPE)
    elif kind == "xlsx":
        response = HttpResponse(xlsx(review), content_type=exports.XLSX_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename(review, kind)}"'
    return response
