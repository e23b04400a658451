"""Companies and contacts, as the provider's team keeps them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from atiende.accounts import directory
from atiende.accounts.invitations import invite_contact
from atiende.accounts.models import Contact, Membership, Organization
from atiende.desk.common import agent_user, typed
from atiende.desk.directory.forms import CompanyForm, ContactForm, LocationForm, NewContactForm
from atiende.errors import DomainError
from atiende.tickets import access, queries
from atiende.tickets.access import tickets_visible_to
from atiende.tickets.forms import add_domain_error
from atiende.tickets.models import Contract, StatusKind

PAGE_SIZE = 50


# --- companies -------------------------------------------------------------------------


@login_required
def companies(request: HttpRequest) -> HttpResponse:
    user, _agent = agent_user(request)
    query = typed(request.GET.get("q"), 200)
    rows = Organization.objects.annotate(contact_count=Count("memberships", distinct=True)).order_by("name")
    if query:
        rows = rows.filter(
            Q(name__icontains=query) | Q(tax_id__icontains=query) | Q(email_domains__icontains=query)
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "desk/directory/companies.html",
        {"page": page, "query": query, "may_edit": directory.may_keep_companies(user)},
    )


SUGGESTIONS = 15


@login_required
@require_GET
def company_suggestions(request: HttpRequest) -> HttpResponse:
    """The companies whose name contains what was typed, as `<option>`s for a type-ahead
    field (the inbox's company filter): a few at a time, however many companies there are."""
    agent_user(request)
    words = typed(request.GET.get("company"), 120)
    names = (
        Organization.objects.filter(is_active=True, name__icontains=words)
        .order_by("name")
        .values_list("name", flat=True)[:SUGGESTIONS]
        if words
        else []
    )
    return render(request, "desk/directory/_company_suggestions.html", {"names": names})


@login_required
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, _agent = agent_user(request)
    company = get_object_or_404(Organization, pk=pk)
    tickets = queries.tickets_for_listing(tickets_visible_to(user).filter(organization=company))
    return render(
        request,
        "desk/directory/company.html",
        {
            "company": company,
            "sites": company.locations.order_by("name"),
            "contracts": Contract.objects.filter(organization=company).select_related("service"),
            "in_force": set(
                Contract.objects.in_force().filter(organization=company).values_list("pk", flat=True)
            ),
            "members": Membership.objects.filter(organization=company)
            .select_related("contact__user")
            .order_by("contact__user__full_name"),
            "open_tickets": tickets.exclude(status__kind=StatusKind.CLOSED)[:50],
            "may_edit": directory.may_keep_companies(user),
            "may_add_contacts": access.serves(user, company),
            "site_form": LocationForm(),
        },
    )


@login_required
def company_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user, _agent = agent_user(request)
    if not directory.may_keep_companies(user):
        raise Http404
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
            messages.success(request, _("%(company)s was saved.") % {"company": saved.name})
            return redirect("desk:company", pk=saved.pk)
    return render(request, "desk/directory/company_form.html", {"form": form, "company": company})


@login_required
@require_POST
def company_add_site(request: HttpRequest, pk: int) -> HttpResponse:
    user, _agent = agent_user(request)
    if not directory.may_keep_companies(user):
        raise Http404
    company = get_object_or_404(Organization, pk=pk)
    form = LocationForm(request.POST)
    if form.is_valid():
        try:
            directory.add_location(user, company, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The site was added."))
    else:
        messages.error(request, _("Write the site's name."))
    return redirect("desk:company", pk=company.pk)


# --- contacts --------------------------------------------------------------------------


@login_required
def contacts(request: HttpRequest) -> HttpResponse:
    agent_user(request)
    query = typed(request.GET.get("q"), 200)
    rows = Contact.objects.select_related("user").prefetch_related("memberships__organization")
    if query:
        rows = rows.filter(
            Q(user__full_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(phone__icontains=query)
            | Q(memberships__organization__name__icontains=query)
        ).distinct()
    page = Paginator(rows.order_by("user__full_name"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "desk/directory/contacts.html", {"page": page, "query": query})


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, _agent = agent_user(request)
    contact = get_object_or_404(Contact.objects.select_related("user"), pk=pk)
    tickets = queries.tickets_for_listing(tickets_visible_to(user).filter(requester=contact))
    return render(
        request,
        "desk/directory/contact.html",
        {
            "contact": contact,
            "memberships": contact.memberships.select_related("organization"),
            "tickets": tickets[:100],
            "may_change": access.may_change_contact(user, contact),
            "may_grant": directory.may_grant_access(user),
        },
    )


@login_required
def contact_new(request: HttpRequest) -> HttpResponse:
    user, _agent = agent_user(request)
    form = NewContactForm.for_user(
        user, request.POST or None, initial={"organization": request.GET.get("company")}
    )
    if request.method == "POST" and form.is_valid():
        contact = form.submit(user)
        if contact is not None:
            messages.success(
                request, _("The contact was created and received the invitation to choose a password.")
            )
            return redirect("desk:contact", pk=contact.pk)
    return render(request, "desk/directory/contact_form.html", {"form": form, "contact": None})


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, _agent = agent_user(request)
    contact = access.get_contact_to_change(user, pk)
    primary = contact.memberships.filter(is_primary=True).first()
    initial = {
        "full_name": contact.user.full_name,
        "email": contact.user.shown_email,
        "phone": contact.phone,
        "extension": contact.extension,
        "area": contact.area,
        "language": contact.user.language,
        "sees_company_tickets": bool(primary and primary.sees_company_tickets),
    }
    form = ContactForm(request.POST or None, initial=initial, may_grant=directory.may_grant_access(user))
    if not contact.user.has_email:  # a caller registered by phone: the reserved address stays unseen
        form.fields["email"].required = False
        form.fields["email"].help_text = _(
            "None yet: write one to give them an account, then send the invitation."
        )
    if request.method == "POST" and form.is_valid():
        changes = {**form.cleaned_data, "email": form.cleaned_data.get("email") or None}
        try:
            directory.update_contact(user, contact, **changes)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The contact was saved."))
            return redirect("desk:contact", pk=contact.pk)
    return render(request, "desk/directory/contact_form.html", {"form": form, "contact": contact})


@login_required
@require_POST
def contact_invite(request: HttpRequest, pk: int) -> HttpResponse:
    user, _agent = agent_user(request)
    contact = access.get_contact_to_change(user, pk)
    try:
        invite_contact(user, contact)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": contact.user.email})
    return redirect("desk:contact", pk=contact.pk)


@login_required
@require_POST
def contact_active(request: HttpRequest, pk: int) -> HttpResponse:
    user, _agent = agent_user(request)
    contact = access.get_contact_to_change(user, pk)
    active = request.POST.get("active") == "1"
    try:
        directory.set_contact_active(user, contact, active=active)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("desk:contact", pk=contact.pk)
    messages.success(
        request,
        _("The contact can sign in again.")
        if active
        else _("The contact was deactivated: they cannot sign in; their tickets and history stay."),
    )
    return redirect("desk:contact", pk=contact.pk)
