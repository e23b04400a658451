"""Which company a contact of several companies is working with: kept in the session,
always one of theirs, the primary one until they switch.

Every portal page draws its navigation from the contact's companies and whether they see
any company's billing. Those change rarely, so they are kept in the shared cache per
person (`Belonging`) under a version that any change of a membership, a company or its
billing contacts renews (`atiende.kept.Versioned`). What a page lists is still bounded by
`access.tickets_visible_to`, read from the database on every request.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.http import Http404, HttpRequest

from atiende.accounts.models import Membership, Organization, User
from atiende.billing.access import billing_companies
from atiende.billing.models import BillingProfile
from atiende.kept import Versioned
from atiende.tickets.access import Standing, active_contact, organizations_of, standings_of

SESSION_KEY = "portal_company"
KEEP_SECONDS = 600

memberships = Versioned("portal-memberships")


def watch() -> None:
    memberships.watch(
        (Membership, Organization, BillingProfile), relations=(BillingProfile.contacts.through,)
    )


@dataclass(frozen=True)
class Belonging:
    """A contact's companies (primary first) and whether they see any one's billing."""

    standings: list[Standing]
    sees_billing: bool


NOBODY = Belonging([], False)


def belonging(request: HttpRequest, user: User) -> Belonging:
    """The contact's companies, read once per request (the page, its navigation and its
    company switch all ask) from the shared cache, or from the database and kept."""
    found: Belonging | None = getattr(request, "_portal_belonging", None)
    if found is None:
        found = _kept(user) if active_contact(user) is not None else NOBODY
        request._portal_belonging = found  # type: ignore[attr-defined]
    return found


def _kept(user: User) -> Belonging:
    key = f"portal:belonging:{memberships.version()}:{user.pk}"
    found: Belonging | None = cache.get(key)
    if found is None:
        found = Belonging(standings_of(user), billing_companies(user).exists())
        if memberships.may_keep():
            cache.set(key, found, KEEP_SECONDS)
    return found


def standings(request: HttpRequest, user: User) -> list[Standing]:
    return belonging(request, user).standings


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
