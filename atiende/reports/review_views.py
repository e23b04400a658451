"""The monthly service review in the desk (supervisors and admins): companies → months →
the review, its PDF and Excel, the email it sends, and the switch that turns the monthly
sending on once the preview looks right."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from atiende.accounts.models import Contact, Organization, User
from atiende.errors import DomainError, InvalidValue
from atiende.reports.access import supervisor_user
from atiende.reviews import access, actions, documents, figures
from atiende.reviews.models import ReviewSending, SentReview, next_month
from atiende.reviews.schedule import first_working_day

COMPANIES_PER_PAGE = 50


class SendingForm(forms.Form):
    """Choices are the company's company-wide contacts by id, checked as text: a forged or
    oversized id is an invalid choice, never a database lookup."""

    enabled = forms.BooleanField(label=gettext_lazy("Send the review by email every month"), required=False)
    contacts = forms.MultipleChoiceField(
        label=gettext_lazy("Send it to"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(contact.pk): contact for contact in actions.company_wide_contacts(organization)}
        field = self.fields["contacts"]
        if isinstance(field, forms.MultipleChoiceField):
            field.choices = [(key, _contact_label(contact)) for key, contact in self.people.items()]

    def chosen(self) -> list[Contact]:
        return [self.people[key] for key in self.cleaned_data["contacts"]]


def _contact_label(contact: Contact) -> str:
    return f"{contact.user.get_full_name()} <{contact.user.email}>"


def _company(request: HttpRequest, company: int) -> tuple[User, Organization]:
    user, _agent = supervisor_user(request)
    return user, access.get_company_for_agent(user, company)


@login_required
@require_GET
def companies(request: HttpRequest) -> HttpResponse:
    """The client companies, a page at a time and found by name: a provider has thousands."""
    user, _agent = supervisor_user(request)
    words = " ".join("".join(ch for ch in request.GET.get("q", "") if ch.isprintable()).split())[:120]
    found = access.review_companies_for_agent(user).only("pk", "name")
    if words:
        found = found.filter(name__icontains=words)
    page = Paginator(found, COMPANIES_PER_PAGE).get_page(request.GET.get("page"))
    companies = list(page.object_list)
    enabled = set(
        ReviewSending.objects.filter(organization__in=companies, enabled=True).values_list(
            "organization_id", flat=True
        )
    )
    rows = [(company, company.pk in enabled) for company in companies]
    context = {"rows": rows, "page": page, "q": words, "is_supervisor": True}
    return render(request, "reports/review_companies.html", context)


def _months_page(
    request: HttpRequest, organization: Organization, form: SendingForm, status: int = 200
) -> HttpResponse:
    months = access.months_of(organization)
    sent = {row.period: row for row in SentReview.objects.filter(organization=organization)}
    upcoming = months[0] if months else None
    context = {
        "organization": organization,
        "months": [(month, sent.get(month)) for month in months],
        "form": form,
        "sending": actions.sending_of(organization),
        "preview_month": upcoming,
        "next_sending": first_working_day(_next_month_start()),
        "is_supervisor": True,
    }
    return render(request, "reports/review_months.html", context, status=status)


def _next_month_start() -> datetime.date:
    return next_month(timezone.localdate())


@login_required
@require_GET
def company_months(request: HttpRequest, company: int) -> HttpResponse:
    _user, organization = _company(request, company)
    sending = actions.sending_of(organization)
    chosen = [str(pk) for pk in sending.contacts.values_list("pk", flat=True)] if sending.pk else []
    initial = {"enabled": sending.enabled, "contacts": chosen}
    return _months_page(request, organization, SendingForm(initial=initial, organization=organization))


@login_required
@require_POST
def sending(request: HttpRequest, company: int) -> HttpResponse:
    user, organization = _company(request, company)
    form = SendingForm(request.POST, organization=organization)
    if form.is_valid():
        try:
            actions.change_review_sending(
                user,
                organization,
                enabled=form.cleaned_data["enabled"],
                contacts=form.chosen(),
            )
        except InvalidValue as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The monthly sending was saved."))
            return redirect("reports:review-months", organization.pk)
    return _months_page(request, organization, form, status=400)


def _review(request: HttpRequest, company: int, month: str) -> figures.Review:
    _user, organization = _company(request, company)
    return figures.build(organization, access.parse_month(month, organization))


@login_required
@require_GET
def review(request: HttpRequest, company: int, month: str) -> HttpResponse:
    found = _review(request, company, month)
    context = {
        "review": found,
        "ticket_link": "desk:ticket",
        "is_supervisor": True,
    }
    return render(request, "reports/review.html", context)


@login_required
@require_GET
def review_download(request: HttpRequest, company: int, month: str, kind: str) -> HttpResponse:
    if kind not in {"pdf", "xlsx"}:
        raise Http404
    return documents.download(_review(request, company, month), kind)


@login_required
@require_GET
def email_preview(request: HttpRequest, company: int, month: str) -> HttpResponse:
    """The email the company's contacts get for this month, as it will be written."""
    _user, organization = _company(request, company)
    period = access.parse_month(month, organization)
    context = actions.email_context(organization, period)
    sending = actions.sending_of(organization)
    recipients = list(sending.contacts.select_related("user")) if sending.pk else []
    return render(
        request,
        "reports/review_email.html",
        {
            "organization": organization,
            "period": period,
            "subject": " ".join(render_to_string("emails/monthly_review-subject.txt", context).split()),
            "body": render_to_string("emails/monthly_review-body.txt", context),
            "recipients": recipients,
            "sending": sending,
            "attachment": f"revision-mensual-{organization.pk}-{period:%Y-%m}.pdf",
            "is_supervisor": True,
        },
    )
