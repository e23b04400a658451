"""The rows of the portal's ticket lists, read as plain values: a row shows a handful of
columns, so no ticket, status, queue, contact or user model is built for it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from atiende.portal import catalog
from atiende.tickets.models import Status, Ticket

_COLUMNS = (
    "pk",
    "number",
    "subject",
    "status_id",
    "queue__name",
    "requester__user__full_name",
    "requester__user__email",
    "last_activity_at",
)


@dataclass(frozen=True)
class Row:
    pk: int
    number: int
    subject: str
    status: Status
    queue_name: str
    requester_name: str
    last_activity_at: datetime.datetime

    @property
    def reference(self) -> str:
        return f"#{self.number}"

    @property
    def status_id(self) -> int:
        return self.status.pk


def listing(tickets: QuerySet[Ticket]) -> QuerySet[Any]:
    """The list's query, same rows and order, reading only what a row shows."""
    return tickets.prefetch_related(None).values_list(*_COLUMNS)


def rows(found: Iterable[tuple[Any, ...]]) -> list[Row]:
    statuses = {status.pk: status for status in catalog.load().statuses}
    return [
        Row(pk, number, subject, statuses[status], queue, name or email, at)
        for pk, number, subject, status, queue, name, email, at in found
    ]
