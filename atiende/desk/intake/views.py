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

from atiende.accounts.directory import in_company_domains
from atiende.accounts.models import Contact, NotificationChannel, Organization
from atiende.desk.common import agent_user, typed
from atiende.desk.directory.forms import NewContactForm
from atiende.desk.intake.forms import IntakeTicketForm
from atiende.tickets import access
from atiende.tickets.models import Channel, Ticket
from atiende.ui.bounds import LARGEST_ID

MAX_RESULTS = 20


def find_contacts(query: str) -> QuerySet[Contact]:
    """Callers by name, email, phone or WhatsApp (digits compared without spaces or signs)."""
    query = query.strip()
    if len(query) < 2:
        return Contact.objects.none()
    digits = "".join(ch for ch in query if ch.isdigit())
    match = Q(user__full_name__icontains=query) | Q(user__email__icontains=query)
    if len(digits) >= 4:
        match |= Q(phone_digits__contains=digits) | Q(whatsapp__contains=digits)
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


def how_we_tell(contact: Contact) -> str:
    """How the requester hears of their ticket, in the words the confirmation uses."""
    by_whatsapp = bool(contact.whatsapp) and contact.notify_by != NotificationChannel.EMAIL
    if contact.user.has_email and by_whatsapp:
        return _("by email and WhatsApp")
    if by_whatsapp:
        return _("by WhatsApp")
    if contact.user.has_email:
        return _("by email")
    return ""


def _registered_message(request: HttpRequest, contact: Contact) -> None:
    name = contact.user.get_full_name()
    if not contact.user.has_email:
        messages.success(request, _("%(name)s was registered without email.") % {"name": name})
        return
    messages.success(
        request,
        _("%(name)s was registered and received the invitation to choose a password.") % {"name": name},
    )
    companies = list(Organization.objects.filter(memberships__contact=contact))
    if not in_company_domains(contact.user.email, companies):
        domains = ", ".join(sorted({d for company in companies for d in company.domain_list()}))
        messages.warning(
            request,
            _(
                "%(email)s is not an address of %(company)s (%(domains)s): check it with the caller, "
                "and correct it in the contact's page if it was mistyped."
            )
            % {
                "email": contact.user.email,
                "company": ", ".join(company.name for company in companies),
                "domains": domains or _("no domains registered"),
            },
        )


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """Step 1: who is calling? Search, pick, or register a new contact."""
    user, _agent = agent_user(request)
    query = typed(request.GET.get("q"), 200)
    contact_form = NewContactForm.for_user(user, request.POST or None, email_optional=True)
    if request.method == "POST" and contact_form.is_valid():
        contact = contact_form.submit(user)
        if contact is not None:
            _registered_message(request, contact)
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
            if not access.can_view(user, ticket):
                # Registered for another team's queue: a confirmation, not the ticket.
                return redirect("desk:intake-registered", number=ticket.number)
            said = (
                _("Ticket #%(number)s was registered for %(name)s, who received the confirmation by email.")
                if requester.user.has_email
                else _("Ticket #%(number)s was registered for %(name)s.")
            )
            messages.success(
                request, said % {"number": ticket.number, "name": requester.user.get_full_name()}
            )
            return redirect(ticket_url(ticket))
    return render(
        request,
        "desk/intake/ticket.html",
        {"requester": requester, "companies": companies, "organization": organization, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def intake_registered(request: HttpRequest, number: int) -> HttpResponse:
    """The confirmation for a ticket registered in a queue the agent does not work: its
    number, its queue and how the caller hears of it; only for the agent who registered
    it, and nothing else of the ticket."""
    user, _agent = agent_user(request)
    if number > LARGEST_ID:
        raise Http404
    ticket = get_object_or_404(
        Ticket.objects.select_related("queue", "requester__user"), number=number, created_by=user
    )
    if access.can_view(user, ticket):
        return redirect(ticket_url(ticket))
    return render(
        request,
        "desk/intake/registered.html",
        {
            "number": ticket.number,
            "queue": ticket.queue.name,
            "requester": ticket.requester,
            "how": how_we_tell(ticket.requester),
        },
    )
