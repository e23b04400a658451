"""*Mis servicios* in the portal: a company's contracts and hour banks, and its statements
(each line linked to the ticket it counts, when the contact may see that ticket)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from atiende.accounts.models import Organization
from atiende.billing import documents, statements
from atiende.billing.access import billing_companies
from atiende.billing.models import Statement, month_start
from atiende.tickets import access

# --- portal: Mis servicios ---------------------------------------------------------------------


def _portal_companies(request: HttpRequest) -> list[Organization]:
    companies = list(billing_companies(request.user))  # type: ignore[arg-type]
    if not companies:
        raise Http404
    return companies


@login_required
@require_GET
def portal_services(request: HttpRequest) -> HttpResponse:
    companies = _portal_companies(request)
    today = timezone.localdate()
    blocks = []
    for company in companies:
        draft = statements.build(company, month_start(today))
        blocks.append(
            {
                "company": company,
                "draft": draft,
                "statements": Statement.objects.filter(organization=company).order_by("-period", "number")[
                    :24
                ],
            }
        )
    return render(request, "billing/portal_services.html", {"blocks": blocks, "today": today})


def _statement_for_contact(request: HttpRequest, statement: str) -> Statement:
    companies = _portal_companies(request)
    return get_object_or_404(
        Statement.objects.select_related("organization", "contract"),
        number=statement,
        organization__in=companies,
    )


@login_required
@require_GET
def portal_statement(request: HttpRequest, statement: str) -> HttpResponse:
    found = _statement_for_contact(request, statement)
    visible = set(
        access.tickets_visible_to(request.user)  # type: ignore[arg-type]
        .filter(organization=found.organization)
        .values_list("number", flat=True)
    )
    context = {"statement": found, "lines": found.lines.order_by("position"), "visible": visible}
    return render(request, "billing/portal_statement.html", context)


@login_required
@require_GET
def portal_download(request: HttpRequest, statement: str, kind: str) -> HttpResponse:
    if kind not in {"pdf", "xlsx"}:
        raise Http404
    return documents.download(_statement_for_contact(request, statement), kind)
