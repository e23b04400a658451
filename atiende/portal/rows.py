"""The rows of the portal's ticket lists, read as plain values: a row shows a handful of
columns, so no ticket, status, queue, contact or user model is built for it. Stage and
queue come from the kept vocabulary, and the requester is joined only where a row names
them (not in *Mis Tickets*, where it is always the reader).

The rows are written out as HTML here, as the desk's inbox writes its own
(`desk/inbox/rows.py`): through the template engine, an include per badge, a `{% url %}`
and two `date` filters per row cost about a third of the list's CPU. Every value shown
is escaped here; only search snippets (escaped and highlighted by `search.snippets`) and
the markup built in this module go in as they are."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from atiende.portal import catalog
from atiende.tickets import vocabulary
from atiende.tickets.models import Queue, Status, Ticket
from atiende.ui import addresses, moments

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
    found = list(found)
    missing = {queue_id for _pk, _number, _subject, _status, queue_id, *_rest in found} - set(queues)
    # Queues newer than the kept copy, read together.
    names = {pk: queue.name for pk, queue in queues.items()} | (
        dict(Queue.objects.filter(pk__in=missing).values_list("pk", "name")) if missing else {}
    )
    listed = []
    for pk, number, subject, status, queue_id, at, *requester in found:
        name, email = requester or ("", "")
        listed.append(Row(pk, number, subject, statuses[status], names.get(queue_id, ""), name or email, at))
    return listed


def _badge(status: Status) -> str:
    return f'<span class="badge {escape(str(status.kind))}">{escape(status.portal_name)}</span>'


def render(
    listed: Sequence[Row],
    *,
    snippets: Mapping[int, str] | None = None,
    show_requester: bool = False,
    group: bool = False,
) -> SafeString:
    """The list's `<ul>`: each ticket with its stage, the requester where asked, the queue
    and when it last changed; grouped under a head per stage when asked (the list is then
    ordered by stage)."""
    now = timezone.now()
    before, after = addresses.around_number("portal:ticket-detail")
    updated = escape(_("updated"))
    lines = ['<ul class="ticket-rows">']
    shown_status = None
    for row in listed:
        badge = _badge(row.status)
        if group and row.status.pk != shown_status:
            lines.append(f'<li class="group-head"><h3>{badge}</h3></li>')
        shown_status = row.status.pk
        snippet = (snippets or {}).get(row.pk)
        found = f'<span class="snippet">{snippet}</span>' if snippet else ""
        requester = f"<span>{escape(row.requester_name)}</span>" if show_requester else ""
        moment = timezone.localtime(row.last_activity_at)
        lines.append(
            f'<li class="ticket-row"><a href="{before}{row.number}{after}">'
            f'<span class="ref">{escape(row.reference)}</span>'
            f'<span class="subject">{escape(row.subject)}</span>'
            f"{found}"
            f'<span class="meta">{badge}{requester}<span>{escape(row.queue_name)}</span>'
            f'<time datetime="{moment.isoformat()}" title="{escape(moments.formatted(moment, "DATETIME_FORMAT"))}">'
            f"{updated} {escape(moments.ago(row.last_activity_at, now))}</time></span></a></li>"
        )
    lines.append("</ul>")
    return mark_safe("\n".join(lines))  # noqa: S308 (every value above is escaped)
