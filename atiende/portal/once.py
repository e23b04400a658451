"""One-time tokens for the portal's forms. Each *Nuevo Ticket* and *Contestar* form carries
a fresh token; once a send succeeds the session remembers which ticket it produced, so the
same form sent again (the back button, a second click, a resent POST) shows that ticket
instead of opening another one silently."""

from __future__ import annotations

import re
import secrets

from django.http import HttpRequest

FIELD = "form_token"
_KEY = "portal_sent_forms"
_KEEP = 50  # the latest sends are enough: a form is resent minutes later, not weeks
_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def issue() -> str:
    return secrets.token_urlsafe(18)


def token_of(request: HttpRequest) -> str:
    """The form's token as posted, or "" when absent or not one of ours in shape."""
    value = request.POST.get(FIELD, "")
    return value if _SHAPE.match(value) else ""


def sent_ticket(request: HttpRequest, token: str) -> int | None:
    """The number of the ticket this form already produced, if it was sent before."""
    if not token:
        return None
    number = request.session.get(_KEY, {}).get(token)
    return number if isinstance(number, int) else None


def remember(request: HttpRequest, token: str, number: int) -> None:
    if not token:
        return
    sent = dict(request.session.get(_KEY, {}))
    sent[token] = number
    request.session[_KEY] = dict(list(sent.items())[-_KEEP:])
