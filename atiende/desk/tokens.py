"""The agent's own API tokens (link in the desk's top bar)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods, require_POST

from atiende.api import token_pages
from atiende.desk.common import agent_user


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    user, _agent = agent_user(request)
    return token_pages.token_page(request, user, template="desk/account/tokens.html")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user, _agent = agent_user(request)
    return token_pages.revoke(request, user, pk, back="desk:tokens")
