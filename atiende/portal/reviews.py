"""*Revisión mensual* in the portal: the contacts who see all of a company's tickets read
its monthly service review and download it (PDF, Excel). Anyone else gets a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from atiende.accounts.models import User
from atiende.reviews import access, documents, figures


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


@login_required
@require_GET
def review_index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    companies = list(access.review_companies_for_contact(user))
    if not companies:
        raise Http404
    blocks = [(company, access.months_of(company)) for company in companies]
    return render(request, "portal/reviews/index.html", {"blocks": blocks})


def _review(request: HttpRequest, company: int, month: str) -> figures.Review:
    organization = access.get_company_for_contact(_user(request), company)
    return figures.build(organization, access.parse_month(month, organization))


@login_required
@require_GET
def review(request: HttpRequest, company: int, month: str) -> HttpResponse:
    found = _review(request, company, month)
    context = {
        "review": found,
        "ticket_link": "portal:ticket-detail",
    }
    return render(request, "portal/reviews/review.html", context)


@login_required
@require_GET
def review_download(request: HttpRequest, company: int, month: str, kind: str) -> HttpResponse:
    if kind not in {"pdf", "xlsx"}:
        raise Http404
    return documents.download(_review(request, company, month), kind)
