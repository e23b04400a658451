"""What the workspace shows, read in a fixed number of queries however long the thread.

Each function feeds one region of the page, so an htmx answer that redraws one region
reads only what that region needs.
"""

from __future__ import annotations

import datetime
import heapq
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import User
from atiende.billing import actions as billing_actions
from atiende.billing import banks
from atiende.desk.inbox import catalog
from atiende.desk.workspace import fragments, panel, presence
from atiende.desk.workspace.forms import (
    ComposerForm,
    LinkForm,
    MergeForm,
    SplitForm,
    TimeEntryForm,
    contracts_in_force,
)
from atiende.outbox.models import EmailStatus, OutboundEmail
from atiende.satisfaction import queries as satisfaction
from atiende.tickets import access, mentions, queries, vocabulary
from atiende.tickets.models import (
    Contract,
    HistoryEvent,
    MessageKind,
    Status,
    StatusKind,
    Ticket,
)
from atiende.tickets.related import Related
from atiende.whatsapp import composer as whatsapp_composer
from atiende.whatsapp.models import OutboundMessage

# How many of a ticket's latest emails the workspace looks at for their delivery.
_DELIVERY_LOOKBACK = 300

# History lines that belong in the conversation; the rest (files, time) is shown elsewhere.
THREAD_ACTIONS = ("changed", "linked", "rated")

FIELD_LABELS: dict[str, Promise] = {
    "subject": _("Subject"),
    "status": _("Stage"),
    "priority": _("Priority"),
    "queue": _("Queue"),
    "type": _("Type"),
    "category": _("Category"),
    "location": _("Location"),
    "service": _("Service"),
    "contract": _("Contract"),
    "assignee": _("Assignee"),
    "tags": _("Tags"),
    "links": _("Links"),
    "time": _("Time spent"),
    "sla": _("Service level"),
    "rating": _("Satisfaction"),
}

ACTION_LABELS: dict[str, Promise] = {
    "created": _("Created the ticket"),
    "changed": _("Changed"),
    "linked": _("Linked"),
    "merged": _("Merged"),
    "time": _("Recorded time"),
    "attached": _("Attached a file"),
    "replied": _("Replied"),
    "noted": _("Added an internal note"),
    "event": _("System event"),
    "accepted": _("Accepted an unverified message"),
    "sealed": _("Sealed the history"),
    "billed": _("Billed on a statement"),
    "rated": _("Rated the resolution"),
}


def field_label(field: str) -> str:
    label = FIELD_LABELS.get(field)
    return str(label) if label is not None else field


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


@dataclass(frozen=True)
class Delivery:
    """One email a change caused, as the outbox knows it: agents see what did not go out."""

    to: str
    status: str  # EmailStatus
    attempts: int
    error: str
    kind: str

    @property
    def failed(self) -> bool:
        return self.status == EmailStatus.FAILED

    @property
    def retrying(self) -> bool:
        return self.status == EmailStatus.PENDING and self.attempts > 0


@dataclass(frozen=True)
class Entry:
    """One line of the conversation: a message, a note, a system event or a field change."""

    kind: str  # "public", "note", "event" or "change"
    at: datetime.datetime
    message: fragments.Line | None = None
    change: HistoryEvent | None = None
    from_customer: bool = False
    deliveries: tuple[Delivery, ...] = ()
    whatsapp: tuple[OutboundMessage, ...] = ()
    # A message's pieces that need no template (HTML): its opening tag and head, the link
    # to an article, the link to split it; and the whole line when nothing else is on it.
    opening: str = ""
    article: str = ""
    split_link: str = ""
    split_open: bool = False  # the split form is open on this message
    html: str = ""

    @property
    def field_label(self) -> str:
        return field_label(self.change.field) if self.change else ""


@dataclass(frozen=True)
class _Words:
    """What every message of a thread says alike, translated and escaped once per page."""

    article_url: str
    article: str
    split: str

    @classmethod
    def now(cls) -> _Words:
        return cls(
            reverse("desk:kb-article-new"),
            escape(_("Create an article from this reply")),
            escape(_("Split into a new ticket")),
        )


def _message_entry(
    line: fragments.Line,
    deliveries: list[Delivery],
    whatsapp: list[OutboundMessage],
    *,
    can_split: bool,
    split_id: int | None,
    words: _Words,
) -> Entry:
    """A message of the thread, its unchanging HTML put together without the template;
    what varies (the held message's form, deliveries, WhatsApp, the split form) is left to
    it."""
    public = line.kind == MessageKind.PUBLIC
    look = "t-note" if line.kind == MessageKind.NOTE else "t-customer" if line.from_customer else "t-agent"
    opening = f'<li class="t-msg {look}" id="m{line.pk}">{line.head}'
    article = (
        f'<p class="small"><a href="{words.article_url}?message={line.pk}">{words.article}</a></p>'
        if public
        else ""
    )
    split_open = public and can_split and split_id == line.pk
    split_link = (
        f'<p class="small t-split"><a href="?split={line.pk}#m{line.pk}">{words.split}</a></p>'
        if public and can_split and not split_open
        else ""
    )
    plain = not (line.is_held or deliveries or whatsapp or split_open)
    return Entry(
        kind=line.kind,
        at=line.created_at,
        message=line,
        from_customer=line.from_customer,
        deliveries=tuple(deliveries),
        whatsapp=tuple(whatsapp),
        # SafeString as `mark_safe` makes it, without its check for lazy text (none here).
        opening=SafeString(opening),  # the head is escaped where it is drawn
        article=SafeString(article),  # escaped above
        split_link=SafeString(split_link),  # escaped above
        split_open=split_open,
        html=SafeString(f"{opening}{line.body}{article}{split_link}</li>") if plain else "",
    )


def _deliveries(ticket: Ticket) -> tuple[dict[int, list[Delivery]], list[Delivery]]:
    """The ticket's email in one query: per reply (its notices), and the other notices
    that failed or are being retried."""
    per_message: dict[int, list[Delivery]] = {}
    troubled: list[Delivery] = []
    rows = (
        OutboundEmail.objects.filter(ticket_number=ticket.number)
        .order_by("-pk")
        .values_list("dedupe_key", "to", "status", "attempts", "last_error", "kind")[:_DELIVERY_LOOKBACK]
    )
    for key, to, status, attempts, error, kind in rows:
        delivery = Delivery(", ".join(to), status, attempts, error, kind)
        parts = (key or "").split(":")
        if parts[0] == "reply" and len(parts) > 1 and parts[1].isdigit():
            per_message.setdefault(int(parts[1]), []).insert(0, delivery)
        elif delivery.failed or delivery.retrying:
            troubled.insert(0, delivery)
    return per_message, troubled


WHATSAPP_SENT = Related(
    "whatsapp_sent", lambda ticket: OutboundMessage.objects.filter(ticket=ticket, message__isnull=False)
)
# What the page asks of the ticket as it reads it (`tickets.related`).
ASKED = (queries.LINKS, queries.TIME, queries.TAGS, queries.COPIES, satisfaction.RATING, WHATSAPP_SENT)


def _whatsapp(ticket: Ticket) -> dict[int, list[OutboundMessage]]:
    """The WhatsApp sends of the ticket's replies, per reply, in one query."""
    per_message: dict[int, list[OutboundMessage]] = {}
    if WHATSAPP_SENT.absent(ticket):
        return per_message
    for row in OutboundMessage.objects.filter(ticket=ticket, message__isnull=False).order_by("pk"):
        per_message.setdefault(row.message_id or 0, []).append(row)
    return per_message


def _changes(ticket: Ticket) -> list[Entry]:
    events = (
        HistoryEvent.objects.filter(ticket=ticket, action__in=THREAD_ACTIONS)
        .select_related("actor")
        .order_by("created_at", "id")
    )
    return [Entry(kind="change", at=event.created_at, change=event) for event in events]


def thread(ticket: Ticket, split_id: int | None = None) -> dict[str, Any]:
    """The conversation; `split_id`: the message whose split form is open."""
    per_message, troubled = _deliveries(ticket)
    lines = fragments.lines(ticket)
    # Who may be mentioned is read only when a note may mention someone.
    handles = (
        {person.handle for person in mentions.mentionable(ticket)}
        if any(line.mentions_someone for line in lines)
        else set()
    )
    whatsapp = _whatsapp(ticket) if any(line.kind == MessageKind.PUBLIC for line in lines) else {}
    can_split = sum(1 for line in lines if line.kind == MessageKind.PUBLIC) > 1 and not ticket.is_closed
    words = _Words.now()
    messages = [
        _message_entry(
            line,
            per_message.get(line.pk, []),
            whatsapp.get(line.pk, []),
            can_split=can_split,
            split_id=split_id,
            words=words,
        )
        for line in fragments.draw(lines, handles)
    ]
    entries = list(heapq.merge(messages, _changes(ticket), key=lambda entry: entry.at))
    return {
        "entries": entries,
        "mention_handles": handles,
        "can_split": can_split,
        "troubled_deliveries": troubled,
    }


def composer(ticket: Ticket, form: ComposerForm | None = None, *, sent: str = "") -> dict[str, Any]:
    listed = catalog.load()
    stages = {status.kind: status for status in listed.statuses if status.is_default}
    return {
        "composer": form or ComposerForm(),
        "canned_replies": listed.canned_for(ticket.queue_id),
        "sent": sent if sent in {ComposerForm.PUBLIC, ComposerForm.NOTE} else "",
        "pending_status": stages.get(StatusKind.PENDING),
        "resolved_status": stages.get(StatusKind.RESOLVED),
        "whatsapp": whatsapp_composer.state(ticket),
    }


def properties(
    user: User,
    ticket: Ticket,
    errors: dict[str, str] | None = None,
    in_force: list[Contract] | None = None,
) -> dict[str, Any]:
    """The panel always shows what is saved; a refused change shows its reason beside it."""
    agent = access.active_agent(user)
    return {
        "property_rows": panel.properties(ticket, errors, in_force),
        "property_errors": errors or {},
        "can_take": agent is not None and ticket.assignee_id != agent.pk and not ticket.is_closed,
        # Agents see what the requester said; they never get a form to rate.
        "rating": satisfaction.rating_of(ticket),
    }


def links(user: User, ticket: Ticket, form: LinkForm | None = None) -> dict[str, Any]:
    return {
        "links": queries.links_for(user, ticket),
        "link_form": form or LinkForm(),
        "merge_form": MergeForm(),
    }


def hours_minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def time(ticket: Ticket, form: TimeEntryForm | None = None) -> dict[str, Any]:
    """The time card: the entries, each with what its contract bills for it, and the form."""
    entries = (
        []
        if queries.TIME.absent(ticket)
        else list(ticket.time_entries.select_related("agent").order_by("-work_date", "-created_at"))
    )
    billable = sum(entry.minutes for entry in entries if entry.billable)
    not_billable = sum(entry.minutes for entry in entries if not entry.billable)
    costs = banks.ticket_costs(ticket, entries)
    charged: dict[str, Decimal] = {}
    for cost in costs.values():
        charged[cost.currency] = charged.get(cost.currency, Decimal("0")) + cost.amount
    return {
        "time_entries": [(entry, costs.get(entry.pk)) for entry in entries],
        "time_charged": sorted(charged.items()),
        "time_quick": TimeEntryForm.QUICK,
        "time_form": form or TimeEntryForm(),
        "time_billable": hours_minutes(billable),
        "time_not_billable": hours_minutes(not_billable),
    }


@dataclass(frozen=True)
class OtherTicket:
    """Another open ticket of the requester, as their card lists it."""

    number: int
    subject: str
    status: Status

    @property
    def reference(self) -> str:
        return f"#{self.number}"


def requester(user: User, ticket: Ticket, contracts: list[Contract]) -> dict[str, Any]:
    """The requester's card: how to reach them, their company and its contracts in force,
    and what else they have open that this engineer may see."""
    stages = vocabulary.kept.load().status
    others = (
        access.tickets_visible_to(user)
        .filter(requester_id=ticket.requester_id)
        .filter(queries.still_open())
        .exclude(pk=ticket.pk)
        .order_by("-last_activity_at")
        .values_list("number", "subject", "status_id")
    )
    return {
        "requester": ticket.requester,
        "contracts": contracts,
        "bank_balances": banks.bank_balances(ticket.organization_id, contracts),
        "may_bill": billing_actions.may_bill(user),
        # Plain values, the stage from the kept vocabulary (one newer than it is read).
        "other_open": [
            OtherTicket(number, subject, stages.get(status) or Status.objects.get(pk=status))
            for number, subject, status in others[:10]
        ],
    }


def who_else(user: User, ticket: Ticket) -> dict[str, Any]:
    return {"present": presence.others(ticket.pk, user)}


def _message_id(form: SplitForm | None, chosen: str = "") -> int | None:
    """Which message's split form the page opens: the one that came back with an error,
    or the one the engineer chose (`?split=<id>`; anything else opens none)."""
    value = form.data.get("message", "") if form is not None else chosen
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 19 else None


@dataclass(frozen=True)
class HistoryRow:
    event: HistoryEvent
    what: str  # the field it touched, or what happened, in the reader's words


def history(ticket: Ticket) -> dict[str, Any]:
    events = HistoryEvent.objects.filter(ticket=ticket).select_related("actor").order_by("-created_at", "-id")
    rows = [
        HistoryRow(event, field_label(event.field) if event.field else action_label(event.action))
        for event in events
    ]
    return {"history": rows}


def workspace(
    user: User,
    ticket: Ticket,
    *,
    tab: str = "conversation",
    composer_form: ComposerForm | None = None,
    sent: str = "",
    property_errors: dict[str, str] | None = None,
    link_form: LinkForm | None = None,
    time_form: TimeEntryForm | None = None,
    split_form: SplitForm | None = None,
    split: str = "",
) -> dict[str, Any]:
    """Everything the full page shows; the forms passed in come back with their errors."""
    in_force = list(contracts_in_force(ticket.organization_id))  # the panel and the card
    split_message_id = _message_id(split_form, split)
    middle = (
        history(ticket)
        if tab == "history"
        else {**thread(ticket, split_message_id), **composer(ticket, composer_form, sent=sent)}
    )
    return {
        "ticket": ticket,
        "tab": tab,
        "split_form": split_form,
        "split_message_id": split_message_id,
        **middle,
        **properties(user, ticket, property_errors, in_force),
        **links(user, ticket, link_form),
        **time(ticket, time_form),
        **requester(user, ticket, in_force),
        **who_else(user, ticket),
    }
