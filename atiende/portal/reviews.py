"""*Revisión mensual* in the portal: the contacts who see all of a company's tickets read
its monthly service review and download it (PDF, Excel). The company is the one the
contact works with (the company switch), or the one `?company=` names — the email's link
names it — when the contact sees all of that company's tickets. Anyone else gets a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from atiende.accounts.models import Organization, User
from atiende.portal.company import current_organization
from atiende.reviews import access, documents, figures
from atiende.ui.bounds import parse_id


def _organization(request: HttpRequest) -> Organization:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    if "company" in request.GET:
        chosen = parse_id(request.GET.get("company"))
        if chosen is None:
            raise Http404
        return access.get_company_for_contact(user, chosen)
    return access.get_company_for_contact(user, current_organization(request, user).pk)


@login_required
@require_GET
def review_index(request: HttpRequest) -> HttpResponse:
    organization = _organization(request)
    return render(
        request,
        "portal/reviews/index.html",
        {"organization": organization, "months": access.months_of(organization)},
    )


def _review(request: HttpRequest, month: str) -> figures.Review:
    organization = _organization(request)
    return figures.build(organization, access.parse_month(month, organization))


@login_required
@require_GET
def review(request: HttpRequest, month: str) -> HttpResponse:
    found = _review(request, month)
    return render(
        request, "portal/reviews/review.html", {"review": found, "ticket_link": "portal:ticket-detail"}
    )


@login_required
@require_GET
def review_download(request: HttpRequest, month: str, kind: str) -> HttpResponse:
    if kind not in {"pdf", "xlsx"}:
        raise Http404
    return documents.download(_review(request, month), kind)
