"""Which company a contact of several companies is working with: kept in the session,
always one of theirs, the primary one until they switch."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from atiende.accounts.models import Organization, User
from atiende.tickets.access import organizations_of

SESSION_KEY = "portal_company"


def current_organization(request: HttpRequest, user: User) -> Organization:
    companies = list(organizations_of(user))
    if not companies:
        raise Http404
    chosen = request.session.get(SESSION_KEY)
    return next((c for c in companies if c.pk == chosen), companies[0])


def choose_organization(request: HttpRequest, user: User, organization_id: int) -> Organization:
    organization = organizations_of(user).filter(pk=organization_id).first()
    if organization is None:
        raise Http404
    request.session[SESSION_KEY] = organization.pk
    return organization
