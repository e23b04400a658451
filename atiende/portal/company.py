"""Which company a contact of several companies is working with: kept in the session,
always one of theirs, the primary one until they switch."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from atiende.accounts.models import Organization, User
from atiende.tickets.access import Standing, organizations_of, standings_of

SESSION_KEY = "portal_company"


def standings(request: HttpRequest, user: User) -> list[Standing]:
    """The contact's companies, read once per request: the page, its navigation and its
    company switch all ask."""
    found: list[Standing] | None = getattr(request, "_portal_standings", None)
    if found is None:
        found = standings_of(user)
        request._portal_standings = found  # type: ignore[attr-defined]
    return found


def current_standing(request: HttpRequest, user: User) -> Standing:
    companies = standings(request, user)
    if not companies:
        raise Http404
    chosen = request.session.get(SESSION_KEY)
    return next((c for c in companies if c.organization.pk == chosen), companies[0])


def current_organization(request: HttpRequest, user: User) -> Organization:
    return current_standing(request, user).organization


def choose_organization(request: HttpRequest, user: User, organization_id: int) -> Organization:
    organization = organizations_of(user).filter(pk=organization_id).first()
    if organization is None:
        raise Http404
    request.session[SESSION_KEY] = organization.pk
    return organization
