"""Who may open a company's monthly review, and which months it has.

In the portal, the contacts who see the whole company's tickets (*Tickets de la Compañía*)
see its review; anyone else — another company's contact, a contact who sees only their own
tickets — gets a 404, as if there were none. In the desk, supervisors and admins see every
company's."""

from __future__ import annotations

import datetime
import re

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from atiende.accounts.models import Organization, User
from atiende.reviews.models import month_start, previous_month
from atiende.tickets import access
from atiende.tickets.models import Ticket

MONTHS_SHOWN = 24
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def review_companies_for_contact(user: User) -> QuerySet[Organization]:
    return access.company_wide_organizations(user).order_by("name")


def get_company_for_contact(user: User, pk: int) -> Organization:
    found = review_companies_for_contact(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def review_companies_for_agent(user: User) -> QuerySet[Organization]:
    agent = access.active_agent(user)
    if agent is None or not agent.sees_all_queues:
        return Organization.objects.none()
    return Organization.objects.filter(is_active=True).order_by("name")


def get_company_for_agent(user: User, pk: int) -> Organization:
    found = review_companies_for_agent(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def months_of(organization: Organization, today: datetime.date | None = None) -> list[datetime.date]:
    """The finished months since the company's first request, newest first (at most two
    years): a month in progress has no review yet."""
    today = today or timezone.localdate()
    first = (
        Ticket.objects.filter(organization=organization)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if first is None:
        return []
    oldest = month_start(timezone.localtime(first).date())
    months: list[datetime.date] = []
    month = previous_month(today)
    while month >= oldest and len(months) < MONTHS_SHOWN:
        months.append(month)
        month = previous_month(month)
    return months


def parse_month(value: str, organization: Organization, today: datetime.date | None = None) -> datetime.date:
    """`YYYY-MM` of one of the company's months with a review, else a 404."""
    found = MONTH.match(value)
    if found is None:
        raise Http404
    year, month = int(found.group(1)), int(found.group(2))
    if not (1 <= month <= 12 and 2000 <= year <= 9999):
        raise Http404
    period = datetime.date(year, month, 1)
    if period not in months_of(organization, today):
        raise Http404
    return period
