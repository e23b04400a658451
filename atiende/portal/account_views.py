"""The contact's own account pages: *Detalles* and *Seguridad de la cuenta*. Passwords
and two-step sign-in are handled by allauth; these pages show where things stand and
lead to its views."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from atiende.accounts.actions import update_contact_profile
from atiende.accounts.auth import signed_in_user
from atiende.accounts.models import Contact, User
from atiende.portal.account_forms import ContactDetailsForm
from atiende.tickets.access import active_contact, organizations_of


def _signed_in_contact(request: HttpRequest) -> tuple[User, Contact]:
    user = signed_in_user(request)
    contact = active_contact(user)
    if contact is None:
        raise Http404
    return user, contact


@login_required
@require_http_methods(["GET", "POST"])
def details(request: HttpRequest) -> HttpResponse:
    """*Detalles*: the contact's own data, editable; their companies' data, read-only."""
    user, contact = _signed_in_contact(request)
    if request.method == "POST":
        form = ContactDetailsForm(request.POST)
        if form.is_valid():
            try:
                update_contact_profile(user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # In the language just chosen: the next page is drawn in it.
                with translation.override(form.cleaned_data["language"]):
                    messages.success(request, gettext("Your details have been saved."))
                return redirect("portal:details")
    else:
        form = ContactDetailsForm(initial=ContactDetailsForm.initial_for(contact))
    return render(
        request,
        "portal/account/details.html",
        {"form": form, "contact": contact, "companies": organizations_of(user)},
    )


@login_required
@require_http_methods(["GET"])
def security(request: HttpRequest) -> HttpResponse:
    """*Seguridad de la cuenta*: password and two-step sign-in, with where each stands."""
    user, _contact = _signed_in_contact(request)
    authenticators = {auth.type: auth for auth in Authenticator.objects.filter(user=user)}
    recovery = authenticators.get(Authenticator.Type.RECOVERY_CODES)
    return render(
        request,
        "portal/account/security.html",
        {
            "totp_active": Authenticator.Type.TOTP in authenticators,
            "has_recovery_codes": recovery is not None,
            "recovery_codes_left": len(recovery.wrap().get_unused_codes()) if recovery else 0,
        },
    )
