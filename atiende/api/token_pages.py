"""The "API tokens" page, shared by the desk (an agent's own tokens) and the portal
(*Seguridad de la cuenta*): list, create (the secret shown once), revoke. The surfaces'
views are thin wrappers that pick the template and the URL names; the writes go
through `atiende.api.tokens`."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import User
from atiende.api import tokens
from atiende.api.models import ApiToken, Scope
from atiende.errors import DomainError, InvalidValue


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What will use it, e.g. “Intranet” or “Monitoring script”."),
    )
    scope = forms.ChoiceField(label=_("Access"), choices=Scope.choices, initial=Scope.READ)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a token that does not expire. It stops working at the end of that day."),
    )

    def expires_at(self, user: User) -> datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        zone = ZoneInfo(user.time_zone) if user.time_zone else timezone.get_current_timezone()
        return datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def token_page(request: HttpRequest, user: User, *, template: str) -> HttpResponse:
    """GET lists; POST creates and shows the secret this once (never stored, never again)."""
    issued: tokens.IssuedToken | None = None
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                issued = tokens.create_token(
                    user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    expires_at=form.expires_at(user),
                )
            except InvalidValue as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            except DomainError as refusal:
                form.add_error(None, refusal.message)
            else:
                form = TokenForm()
    else:
        form = TokenForm()
    response = render(
        request,
        template,
        {"form": form, "issued": issued, "tokens": tokens.tokens_of(user), "now": timezone.now()},
    )
    # The page may hold a secret: no copy in any cache or the browser's history store.
    response["Cache-Control"] = "no-store"
    return response


def revoke(request: HttpRequest, user: User, pk: int, *, back: str) -> HttpResponse:
    try:
        token = tokens.get_token_for_owner(user, pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    tokens.revoke_token(user, token)
    messages.success(request, gettext("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect(back)
