"""Who may see a company's billing in the portal."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from atiende.accounts.models import Organization, User
from atiende.tickets import access


def billing_companies(user: User) -> QuerySet[Organization]:
    """Money is for the company's billing contacts and for contacts given the company's
    view personally; a company that opens its ticket list to everyone does not open its
    statements with it."""
    contact = access.active_contact(user)
    if contact is None:
        return Organization.objects.none()
    return (
        access.organizations_of(user)
        .filter(
            Q(memberships__contact=contact, memberships__sees_company_tickets=True)
            | Q(billing__contacts=contact)
        )
        .distinct()
    )
