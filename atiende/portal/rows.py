"""The rows of the portal's ticket lists, read as plain values: a row shows a handful of
columns, so no ticket, status, queue, contact or user model is built for it. Stage and
queue come from the kept vocabulary, and the requester is joined only where a row names
them (not in *Mis Tickets*, where it is always the reader)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from atiende.portal import catalog
from atiende.tickets import vocabulary
from atiende.tickets.models import Queue, Status, Ticket

_COLUMNS = ("pk", "number", "subject", "status_id", "queue_id", "last_activity_at")
_REQUESTER = ("requester__user__full_name", "requester__user__email")


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


def listing(tickets: QuerySet[Ticket], *, with_requester: bool = True) -> QuerySet[Any]:
    """The list's query, same rows and order, reading only what a row shows."""
    return tickets.prefetch_related(None).values_list(*_COLUMNS, *(_REQUESTER if with_requester else ()))


def rows(found: Iterable[tuple[Any, ...]]) -> list[Row]:
    statuses = {status.pk: status for status in catalog.load().statuses}
    queues = vocabulary.kept.load().queue
    listed = []
    for pk, number, subject, status, queue_id, at, *requester in found:
        name, email = requester or ("", "")
        queue = queues.get(queue_id) or Queue.objects.get(pk=queue_id)  # newer than the kept copy
        listed.append(Row(pk, number, subject, statuses[status], queue.name, name or email, at))
    return listed
