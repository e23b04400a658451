"""Who may see a company's billing: in the portal, and through the API."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from atiende.accounts.models import Organization, User
from atiende.billing.models import Statement
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


def statements_for(user: User) -> QuerySet[Statement]:
    """The issued statements a person may read outside the desk's pages (the API): all of
    them for those who bill (supervisors and administrators), their own companies' for a
    company's billing contacts, none for anyone else."""
    agent = access.active_agent(user)
    if agent is not None:
        return Statement.objects.all() if agent.sees_all_queues else Statement.objects.none()
    contact = access.active_contact(user)
    if contact is None:
        return Statement.objects.none()
    companies = access.organizations_of(user).filter(billing__contacts=contact)
    return Statement.objects.filter(organization__in=companies)
