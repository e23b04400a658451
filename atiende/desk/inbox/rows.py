"""The inbox's rows, written out as HTML in Python rather than through the template
engine.

A page of 50 rows drawn by `{% for %}` with a dozen variables, two includes, a URL, two
date filters and the SLA inclusion tag per row cost about half the inbox's CPU (see
docs/decisions.md, "The inbox's rows are written in Python"); the same markup written
here costs a tenth of that. Everything shown is escaped here: plain strings go through
`escape`, and only the pieces built in this module or already safe (search snippets) go
in unescaped.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from atiende.accounts.models import Agent, Contact, Organization
from atiende.sla.models import Target, TicketSla
from atiende.sla.state import SlaState, Words, status_of
from atiende.tickets import vocabulary
from atiende.tickets.models import Channel, Priority, Status, Ticket
from atiende.ui import addresses, moments

PAUSED_ICON = (
    '<svg class="icon icon-paused" width="12" height="12" viewBox="0 0 24 24" fill="currentColor" '
    'aria-hidden="true"><rect x="6" y="4" width="4" height="16" rx="1"/>'
    '<rect x="14" y="4" width="4" height="16" rx="1"/></svg>'
)


# What a row shows of its ticket, read as plain values: building fifty tickets with their
# stage, priority, queue and company as models cost five times the CPU of the values.
_COLUMNS = (
    "pk",
    "number",
    "subject",
    "channel",
    "status_id",
    "priority_id",
    "queue_id",
    "organization_id",
    "requester_id",
    "assignee_id",
    "last_activity_at",
    "has_news",
)


@dataclass(frozen=True, slots=True)
class Line:
    """A listed ticket: its own columns, its stage and priority from the kept vocabulary."""

    pk: int
    number: int
    subject: str
    channel: str
    status: Status
    priority: Priority
    queue_id: int
    organization_id: int
    organization_name: str
    requester_id: int | None
    assignee_id: int | None
    last_activity_at: datetime.datetime

    @property
    def reference(self) -> str:
        return f"#{self.number}"


@dataclass(frozen=True)
class Row:
    ticket: Line
    news: bool  # changed since this agent last opened it, or never opened
    requester: str = ""
    assignee: str = ""  # empty when nobody has it
    clocks: TicketSla | None = None


def _names(model: type[Contact | Agent], ids: set[int]) -> dict[int, str]:
    people = model.objects.filter(pk__in=ids).values_list("pk", "user__full_name", "user__email")
    return {pk: full_name or email for pk, full_name, email in people} if ids else {}


def _company_names(ids: set[int]) -> dict[int, str]:
    """From the kept copies; a company newer than them is read."""
    kept = vocabulary.parties.load().organization
    names = {pk: kept[pk].name for pk in ids if pk in kept}
    missing = ids - set(names)
    return (
        names | dict(Organization.objects.filter(pk__in=missing).values_list("pk", "name"))
        if missing
        else names
    )


def _engineer_names(ids: set[int]) -> dict[int, str]:
    """From the kept copies; an engineer newer than them is read."""
    kept = vocabulary.parties.load().agent
    names = {pk: kept[pk].user.full_name or kept[pk].user.email for pk in ids if pk in kept}
    missing = ids - set(names)
    return names | _names(Agent, missing) if missing else names


def _lines(tickets: QuerySet[Ticket]) -> list[tuple[Line, bool]]:
    words = vocabulary.kept.load()
    rows = list(tickets.values_list(*_COLUMNS, named=True))
    companies = _company_names({row.organization_id for row in rows})
    return [
        (
            Line(
                row.pk,
                row.number,
                row.subject,
                row.channel,
                words.status.get(row.status_id) or Status.objects.get(pk=row.status_id),
                words.priority.get(row.priority_id) or Priority.objects.get(pk=row.priority_id),
                row.queue_id,
                row.organization_id,
                companies.get(row.organization_id, ""),
                row.requester_id,
                row.assignee_id,
                row.last_activity_at,
            ),
            bool(row.has_news),
        )
        for row in rows
    ]


def listed(tickets: QuerySet[Ticket]) -> list[Row]:
    """The page's tickets (`inbox_for_agent`'s, annotated with `has_news`) with the people's
    names and the SLA clocks, read by key in three queries (or none without rows): plain
    values, where the ORM would build a ticket with four related models and, by prefetch,
    a contact, an agent and two users per row."""
    found = _lines(tickets)
    page = [line for line, _news in found]
    requesters = _names(Contact, {t.requester_id for t in page if t.requester_id is not None})
    assignees = _engineer_names({t.assignee_id for t in page if t.assignee_id is not None})
    ids = [ticket.pk for ticket in page]
    clocks = {
        sla.ticket_id: sla for sla in TicketSla.objects.select_related("calendar").filter(ticket_id__in=ids)
    }
    return [
        Row(
            ticket,
            news,
            requesters.get(ticket.requester_id or 0, ""),
            assignees.get(ticket.assignee_id or 0, ""),
            clocks.get(ticket.pk),
        )
        for ticket, news in found
    ]


def ago(when: datetime.datetime, now: datetime.datetime) -> str:
    if now - when < datetime.timedelta(minutes=1):
        return _("just now")
    return _("%(time)s ago") % {"time": moments.elapsed(when, now)}


@dataclass(frozen=True)
class _BadgeWords:
    """What the SLA badges say, translated once per list: fifty rows say the same words."""

    time: Words
    targets: dict[str, str]
    states: dict[str, str]
    breached: str
    met: str
    paused: str

    @classmethod
    def now(cls) -> _BadgeWords:
        return cls(
            Words.now(),
            {str(target): str(target.label) for target in Target},
            {str(state): str(state.label) for state in SlaState},
            _("Breached"),
            _("Met"),
            _("paused"),
        )


def sla_badge(clocks: TicketSla | None, now: datetime.datetime, words: _BadgeWords | None = None) -> str:
    """The running target with the least time left, or whether the targets were met."""
    if clocks is None:
        return '<span class="muted">—</span>'
    words = words or _BadgeWords.now()
    status = status_of(clocks, now)
    headline = status.headline
    if headline is None:
        label = words.breached if status.state == SlaState.BREACHED else words.met
        return f'<span class="sla-badge sla-{status.state!s}">{escape(label)}</span>'
    title = f"{words.targets[str(headline.target)]}: {words.states[str(headline.state)]}"
    css = f"sla-badge sla-{headline.state!s}"
    icon = ""
    if status.paused:
        title += f" ({words.paused})"
        css += " sla-paused"
        icon = f'{PAUSED_ICON}<span class="visually-hidden">{escape(words.paused)}: </span>'
    time_left = headline.said_time_left(words.time)
    return f'<span class="{css}" title="{escape(title)}">{icon}{escape(time_left)}</span>'


def render(rows: Sequence[Row], snippets: Mapping[int, str]) -> SafeString:
    """The `<tr>` of each ticket on the page, with its news mark, search snippet and SLA."""
    if not rows:
        return SafeString("")
    now = timezone.now()
    before, after = addresses.around_number("desk:ticket")
    select = _("Select %(reference)s")
    news = (
        '<span class="news-dot" aria-hidden="true"></span>'
        f'<span class="visually-hidden">{escape(_("news"))}: </span>'
    )
    unassigned = f'<span class="muted">{escape(_("Unassigned"))}</span>'
    badge_words = _BadgeWords.now()
    whatsapp = ""
    lines = []
    for row in rows:
        ticket, fresh = row.ticket, row.news
        number = ticket.number
        reference = escape(ticket.reference)
        icon = ""
        if ticket.channel == Channel.WHATSAPP:
            whatsapp = whatsapp or render_to_string("components/_whatsapp_icon.html") + " "
            icon = whatsapp
        snippet = snippets.get(ticket.pk)
        found = f'<span class="snippet">{snippet}</span>' if snippet else ""
        organization = escape(ticket.organization_name)
        requester = escape(row.requester)
        assignee = escape(row.assignee) if row.assignee else unassigned
        status, priority = ticket.status, ticket.priority
        moment = timezone.localtime(ticket.last_activity_at)
        lines.append(
            f'<tr class="inbox-row{" has-news" if fresh else ""}" data-number="{number}">'
            f'<td class="pick"><input type="checkbox" name="ticket" value="{number}" form="bulk-form" '
            f'aria-label="{escape(select % {"reference": ticket.reference})}"></td>'
            f'<td class="num">{reference}</td>'
            f'<td class="subject"><a class="open-ticket" href="{before}{number}{after}">'
            f"{news if fresh else ''}{icon}{escape(ticket.subject)}</a>{found}</td>"
            f'<td class="col-company wide-only"><span class="clamp">{organization}</span></td>'
            f'<td class="col-requester wide-only"><span class="clamp">{requester}</span></td>'
            f'<td class="col-stage"><span class="badge {status.kind!s}">{escape(status.name)}</span></td>'
            f'<td class="col-priority wide-only"><span class="prio prio-{priority.level}">'
            f"{escape(priority.name)}</span></td>"
            f'<td class="col-assignee wide-only"><span class="clamp">{assignee}</span></td>'
            f'<td class="when"><time class="clamp" datetime="{moment.isoformat()}" '
            f'title="{escape(moments.formatted(moment, "DATETIME_FORMAT"))}">'
            f"{escape(ago(ticket.last_activity_at, now))}</time></td>"
            f'<td class="col-sla">{sla_badge(row.clocks, now, badge_words)}</td>'
            "</tr>"
        )
    return mark_safe("\n".join(lines))  # noqa: S308 (every value above is escaped)
