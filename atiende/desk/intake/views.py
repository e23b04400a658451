"""*Nuevo ticket por teléfono / WhatsApp* (channel C of the manual): the contact-center
agent finds the caller, or registers them, and opens the ticket in their name."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from atiende.accounts.models import Contact, Organization
from atiende.desk.common import agent_user, typed
from atiende.desk.directory.forms import NewContactForm
from atiende.desk.intake.forms import IntakeTicketForm
from atiende.tickets.models import Channel, Ticket

MAX_RESULTS = 20


def find_contacts(query: str) -> QuerySet[Contact]:
    """Callers by name, email or phone (digits compared without spaces or signs)."""
    query = query.strip()
    if len(query) < 2:
        return Contact.objects.none()
    digits = "".join(ch for ch in query if ch.isdigit())
    match = Q(user__full_name__icontains=query) | Q(user__email__icontains=query)
    if len(digits) >= 4:
        match |= Q(phone_digits__contains=digits)
    return (
        Contact.objects.filter(match, user__is_active=True)
        .select_related("user")
        .prefetch_related("memberships__organization")
        .order_by("user__full_name")[:MAX_RESULTS]
    )


def ticket_url(ticket: Ticket) -> str:
    try:
        return reverse("desk:ticket", args=[ticket.number])
    except NoReverseMatch:  # the workspace is optional for this page
        return reverse("desk:home")


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """Step 1: who is calling? Search, pick, or register a new contact."""
    user, _agent = agent_user(request)
    query = typed(request.GET.get("q"), 200)
    contact_form = NewContactForm.for_user(user, request.POST or None)
    if request.method == "POST" and contact_form.is_valid():
        contact = contact_form.submit(user)
        if contact is not None:
            messages.success(
                request,
                _("%(name)s was registered and received the invitation to choose a password.")
                % {"name": contact.user.get_full_name()},
            )
            return redirect("desk:intake-ticket", contact=contact.pk)
    return render(
        request,
        "desk/intake/find.html",
        {"query": query, "results": find_contacts(query), "contact_form": contact_form},
        status=400 if contact_form.is_bound and contact_form.errors else 200,
    )


@login_required
def intake_ticket(request: HttpRequest, contact: int) -> HttpResponse:
    """Step 2: the ticket, with the caller as requester and this agent as registrar."""
    user, _agent = agent_user(request)
    requester = get_object_or_404(Contact.objects.select_related("user"), pk=contact, user__is_active=True)
    companies = list(
        Organization.objects.filter(memberships__contact=requester, is_active=True).order_by(
            "-memberships__is_primary", "name"
        )
    )
    if not companies:
        raise Http404
    chosen = request.POST.get("company") or request.GET.get("company")
    organization = next((c for c in companies if str(c.pk) == chosen), companies[0])
    form = IntakeTicketForm(request.POST or None, request.FILES or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        ticket = form.submit(user, requester=requester, channel=Channel(form.cleaned_data["channel"]))
        if ticket is not None:
            messages.success(
                request,
                _("Ticket #%(number)s was registered for %(name)s, who received the confirmation by email.")
                % {"number": ticket.number, "name": requester.user.get_full_name()},
            )
            return redirect(ticket_url(ticket))
    return render(
        request,
        "desk/intake/ticket.html",
        {"requester": requester, "companies": companies, "organization": organization, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
