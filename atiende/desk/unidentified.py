"""*Sin identificar*: WhatsApp messages from unknown numbers, and saying who wrote them
(a contact found in the directory, or one registered here as phone intake does)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atiende.accounts.models import Contact
from atiende.desk.common import agent_user, typed
from atiende.desk.directory.forms import NewContactForm
from atiende.desk.intake.views import find_contacts
from atiende.errors import DomainError
from atiende.whatsapp import unidentified as held


def _phone(digits: str) -> str:
    if not digits.isdigit() or len(digits) > 15:
        raise Http404
    return "+" + digits


@login_required
def unidentified(request: HttpRequest) -> HttpResponse:
    user, _agent = agent_user(request)
    return render(request, "desk/whatsapp/unidentified.html", {"numbers": held.held_numbers_for(user)})


@login_required
def unidentified_number(request: HttpRequest, digits: str) -> HttpResponse:
    """The held messages of one number: find the contact who wrote them, or register them."""
    user, _agent = agent_user(request)
    phone = _phone(digits)
    rows = held.held_messages(user, phone)
    if not rows:
        raise Http404
    query = typed(request.GET.get("q"), 200)
    initial = {"phone": phone, "full_name": rows[0][0].profile_name}
    form = NewContactForm.for_user(user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        contact = form.submit(user)
        if contact is not None:
            return _identified(request, phone, contact)
    return render(
        request,
        "desk/whatsapp/unidentified_number.html",
        {
            "phone": phone,
            "digits": digits,
            "rows": rows,
            "query": query,
            "results": find_contacts(query),
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def unidentified_link(request: HttpRequest, digits: str) -> HttpResponse:
    agent_user(request)
    phone = _phone(digits)
    chosen = request.POST.get("contact", "")
    contact = (
        Contact.objects.select_related("user").filter(pk=int(chosen)).first()
        if chosen.isdigit() and len(chosen) < 12
        else None
    )
    if contact is None:
        raise Http404
    return _identified(request, phone, contact)


def _identified(request: HttpRequest, phone: str, contact: Contact) -> HttpResponse:
    user, _agent = agent_user(request)
    try:
        numbers = held.identify(user, phone, contact)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("desk:whatsapp-unidentified")
    messages.success(
        request,
        _("The messages from %(phone)s were filed for %(name)s.")
        % {"phone": phone, "name": contact.user.get_full_name()},
    )
    if numbers:
        return redirect("desk:ticket", numbers[-1])
    return redirect("desk:whatsapp-unidentified")
