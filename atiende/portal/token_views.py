"""A contact's API tokens, under *Seguridad de la cuenta*: an integration of the client's
own (an intranet, a script) sees exactly what this contact sees."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods, require_POST

from atiende.accounts.auth import signed_in_user
from atiende.accounts.models import User
from atiende.api import token_pages
from atiende.tickets.access import active_contact


def _contact_user(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if active_contact(user) is None:
        raise Http404
    return user


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    return token_pages.token_page(request, _contact_user(request), template="portal/account/tokens.html")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    return token_pages.revoke(request, _contact_user(request), pk, back="portal:tokens")
