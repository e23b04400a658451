"""Which months are closed: a month on an issued statement keeps its time as billed. The
ticket actions ask here before they change time."""

from __future__ import annotations

import datetime

from django.db.models import Q

from atiende.billing.models import Statement, month_start


def closing_statement(organization_id: int, contract_id: int | None, day: datetime.date) -> Statement | None:
    """The issued statement that closed this day's month for the company (or for the
    contract), if any."""
    scope = Q(contract__isnull=True)
    if contract_id is not None:
        scope |= Q(contract_id=contract_id)
    return Statement.objects.filter(scope, organization_id=organization_id, period=month_start(day)).first()
