"""A new client, step by step: company → sites → contracts → service level → contacts,
ending on the company's page. Each step saves through the domain's functions and can be
left and taken up again (every step reads what is already saved)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atiende.accounts import directory
from atiende.accounts.models import Membership, Organization
from atiende.desk.directory.forms import CompanyForm, LocationForm, NewContactForm
from atiende.desk.setup.common import setup_user
from atiende.desk.setup.forms import ContractForm, ServiceLevelForm
from atiende.errors import DomainError
from atiende.sla import actions as terms
from atiende.sla.models import SlaPolicy
from atiende.tickets.forms import add_domain_error
from atiende.tickets.models import Contract


@dataclass(frozen=True)
class FlowStep:
    key: str
    label: Promise
    url_name: str
    help: Promise


STEPS = [
    FlowStep(
        "company",
        gettext_lazy("Company"),
        "desk:setup-client-edit",
        gettext_lazy(
            "The client's name as it appears on tickets and reports, its tax id, and the email "
            "domains its people write from: mail from those domains finds the company by itself."
        ),
    ),
    FlowStep(
        "sites",
        gettext_lazy("Sites"),
        "desk:setup-client-sites",
        gettext_lazy("The offices or plants where incidents happen; contacts pick one on each ticket."),
    ),
    FlowStep(
        "contracts",
        gettext_lazy("Contracts"),
        "desk:setup-client-contracts",
        gettext_lazy(
            "Each service the client has contracted, from when to when, and the calendar its service "
            "level counts in (24x7 for round-the-clock support)."
        ),
    ),
    FlowStep(
        "service-level",
        gettext_lazy("Service level"),
        "desk:setup-client-service-level",
        gettext_lazy(
            "What you promise on a contract: first response and resolution within so many minutes of "
            "its calendar. Each ticket's page shows the policy and the calendar that apply."
        ),
    ),
    FlowStep(
        "contacts",
        gettext_lazy("Contacts"),
        "desk:setup-client-contacts",
        gettext_lazy(
            "The client's people who open tickets. Each receives an invitation to choose a password."
        ),
    ),
]


def _render(request: HttpRequest, key: str, company: Organization | None, **context: Any) -> HttpResponse:
    index = next(i for i, step in enumerate(STEPS) if step.key == key)
    following = STEPS[index + 1] if index + 1 < len(STEPS) else None
    return render(
        request,
        f"desk/setup/client_{key.replace('-', '_')}.html",
        {
            "steps": STEPS,
            "step": STEPS[index],
            "position": index + 1,
            "company": company,
            "next_step": following,
            **context,
        },
    )


@login_required
def client_company(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = setup_user(request)
    company = get_object_or_404(Organization, pk=pk) if pk else None
    form = CompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        try:
            saved = directory.save_organization(
                user, company, **{name: form.cleaned_data[name] for name in directory.ORGANIZATION_FIELDS}
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("desk:setup-client-sites", pk=saved.pk)
    return _render(request, "company", company, form=form)


@login_required
def client_sites(request: HttpRequest, pk: int) -> HttpResponse:
    user = setup_user(request)
    company = get_object_or_404(Organization, pk=pk)
    form = LocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            directory.add_location(user, company, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The site was added."))
            return redirect("desk:setup-client-sites", pk=company.pk)
    return _render(request, "sites", company, form=form, sites=company.locations.order_by("name"))


@login_required
def client_contracts(request: HttpRequest, pk: int) -> HttpResponse:
    user = setup_user(request)
    company = get_object_or_404(Organization, pk=pk)
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            terms.add_contract(user, company, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The contract was added."))
            return redirect("desk:setup-client-contracts", pk=company.pk)
    contracts = (
        Contract.objects.filter(organization=company)
        .select_related("service")
        .prefetch_related("sla_calendars")
    )
    return _render(request, "contracts", company, form=form, contracts=contracts)


@login_required
def client_service_level(request: HttpRequest, pk: int) -> HttpResponse:
    user = setup_user(request)
    company = get_object_or_404(Organization, pk=pk)
    form = ServiceLevelForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        contract = values.pop("contract")
        try:
            terms.add_service_level(user, contract, **values)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The service level was saved."))
            return redirect("desk:setup-client-service-level", pk=company.pk)
    policies = SlaPolicy.objects.filter(contract__organization=company).select_related(
        "contract__service", "calendar"
    )
    return _render(
        request,
        "service-level",
        company,
        form=form,
        policies=policies,
        has_contracts=Contract.objects.filter(organization=company).exists(),
    )


@login_required
def client_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    user = setup_user(request)
    company = get_object_or_404(Organization, pk=pk)
    form = NewContactForm(
        request.POST or None,
        may_grant=True,
        organizations=Organization.objects.filter(pk=company.pk),
        initial={"organization": company.pk},
    )
    if request.method == "POST" and form.is_valid():
        contact = form.submit(user)
        if contact is not None:
            messages.success(
                request,
                _("%(name)s was added and received the invitation to choose a password.")
                % {"name": contact.user.get_full_name()},
            )
            return redirect("desk:setup-client-contacts", pk=company.pk)
    members = (
        Membership.objects.filter(organization=company)
        .select_related("contact__user")
        .order_by("contact__user__full_name")
    )
    return _render(request, "contacts", company, form=form, members=members)
