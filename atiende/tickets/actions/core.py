"""The domain functions: every change to a ticket, from any channel, happens here.

Each action takes the acting user first, the target next, then keyword-only values. It
checks permission through `access`, writes in one transaction, records history, and
schedules side effects after commit. It raises `DomainError`s; it never returns HTTP.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from atiende.accounts.models import Agent, Contact, Location, Organization, User
from atiende.sla import timers as sla_timers
from atiende.tickets import access, ledger, mentions, notify, routing, urgency, vocabulary
from atiende.tickets.attachments import Upload, store_uploads, validate_uploads
from atiende.tickets.effects import TicketEvent, after_commit
from atiende.tickets.exceptions import InvalidValue, NotAllowed, TicketClosed
from atiende.tickets.html import html_to_text, sanitize_html
from atiende.tickets.models import (
    Attachment,
    Category,
    Channel,
    Contract,
    LinkKind,
    Message,
    MessageKind,
    Priority,
    Queue,
    SenderCheck,
    Service,
    Status,
    StatusKind,
    Tag,
    Ticket,
    TicketCc,
    TicketLink,
    TicketType,
)
from atiende.tickets.numbering import next_ticket_number


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()

SUBJECT_MAX_LENGTH = 250
# What a requester may change on their open ticket (the manual's *Modificar*).
REQUESTER_EDITABLE = frozenset({"subject", "type", "category", "location"})


# --- opening -------------------------------------------------------------------------


def open_ticket(
    actor: User,
    *,
    channel: Channel,
    organization: Organization,
    requester: Contact,
    queue: Queue | None = None,
    subject: str,
    text: str = "",
    html: str = "",
    type: TicketType | None = None,
    category: Category | None = None,
    location: Location | None = None,
    priority: Priority | None = None,
    service: Service | None = None,
    contract: Contract | None = None,
    attachments: Sequence[Upload] = (),
    continues: Ticket | None = None,
    email_message_id: str = "",
    email_headers: dict[str, Any] | None = None,
    sender_check: SenderCheck = SenderCheck.NOT_EMAIL,
) -> Ticket:
    """A new ticket with its first message. The requester sees it in *Mis Tickets*; when an
    agent registers it (phone, WhatsApp) the ticket says so. An email that opens a ticket
    passes its Message-ID: the ticket's mail threads under it.

    A routing rule for the company or the requester's email domain decides the queue on
    every channel; a contact choosing it themselves (portal, API) chooses among the queues
    offered to their company, so another client's queue is refused even by a forged id."""
    if not access.can_open_ticket(actor, organization, requester):
        raise NotAllowed(_("You cannot open tickets for this company."))
    level, subject = urgency.split_subject(subject)
    subject = _clean_subject(subject)
    # A choice made on purpose wins over the subject's prefix.
    priority = priority or urgency.priority_for(level)
    # The description is required even when files come along: files alone explain little.
    body = _MessageBody.of(text, html, (), empty=_("Describe the request in the text."))
    queue = _routed_queue(actor, channel, organization, requester, queue)
    _check_category(category)
    _check_location(location, organization)
    service, contract = _service_and_contract(organization, service, contract)
    if continues is not None and not (
        access.can_view(actor, continues) and continues.organization_id == organization.pk
    ):
        raise InvalidValue(
            "continues",
            _("Ticket #%(number)s was not found among this company's tickets.")
            % {"number": continues.number},
        )
    validate_uploads(attachments)

    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.create(
            number=next_ticket_number(),
            subject=subject,
            organization=organization,
            requester=requester,
            created_by=actor,
            channel=channel,
            queue=queue,
            service=service,
            contract=contract,
            type=type or default_type(),
            category=category,
            location=location,
            priority=priority or Priority.objects.get(is_default=True),
            status=default_status(StatusKind.NEW),
            created_at=now,
            last_activity_at=now,
        )
        email = _EmailIds(email_message_id, email_headers or {}, sender_check)
        message, files = _post(
            ticket, actor, MessageKind.PUBLIC, channel, body, attachments, at=now, email=email
        )
        ledger.record_opening(ticket, message, actor=actor, channel=channel, files=files)
        sla_timers.on_opened(ticket)
        if continues is not None:
            _link(actor, ticket, continues, kind=LinkKind.CONTINUES, channel=channel)
        # An unverified sender may be forged: the confirmation goes to the real address
        # and does not repeat what "they" wrote (no relaying someone else's text).
        notify.ticket_opened(ticket, repeat_subject=sender_check != SenderCheck.UNVERIFIED)
        notify.new_ticket_for_queue(ticket, message)
        after_commit(TicketEvent("opened", ticket.pk, actor.pk, channel, message.pk))
    return ticket


# --- the thread ------------------------------------------------------------------------


def add_reply(
    actor: User,
    ticket: Ticket,
    *,
    channel: Channel,
    text: str = "",
    html: str = "",
    attachments: Sequence[Upload] = (),
    email_message_id: str = "",
    email_headers: dict[str, Any] | None = None,
    sender_check: SenderCheck = SenderCheck.NOT_EMAIL,
    then_status: Status | None = None,
) -> Message:
    """A public message on the thread (the manual's *Contestar*). An engineer's first reply
    meets the first response and is emailed to the requester; `then_status` moves the
    ticket in the same step ("send and set waiting on customer"). A customer's reply to a
    ticket waiting on them or resolved puts it back in progress.

    An email whose sender proved nothing (`SenderCheck.HELD`) is only kept: engineers see
    it marked, nobody is emailed, the stage and the service level do not move, until an
    engineer accepts it (`accept_message`)."""
    if not access.can_reply(actor, ticket):
        raise NotAllowed(_("You cannot reply to this ticket."))
    body = _MessageBody.of(text, html, attachments, empty=_("Write a message or attach a file."))
    with transaction.atomic():
        _lock_open(ticket)
        email = _EmailIds(email_message_id, email_headers or {}, sender_check)
        message, files = _post(ticket, actor, MessageKind.PUBLIC, channel, body, attachments, email=email)
        ledger.seal_message(ticket, message, actor=actor, channel=channel, files=files)
        status_before = ticket.status_id
        if not message.is_held:
            reply_effects(actor, ticket, message, channel, then_status)
        ticket.save()
        kind = "held" if message.is_held else "replied"
        after_commit(TicketEvent(kind, ticket.pk, actor.pk, channel, message.pk))
        status_moved(ticket, status_before, actor, channel)
    return message


def status_moved(ticket: Ticket, status_before: int, actor: User, channel: str) -> None:
    """A reply that also moved the stage (sent and set waiting, a customer's answer that
    reopens) is a change of the ticket too: say so after the reply's own event."""
    if ticket.status_id != status_before:
        after_commit(TicketEvent("changed", ticket.pk, actor.pk, channel, fields=("status",)))


def reply_effects(
    author: User, ticket: Ticket, message: Message, channel: str, then_status: Status | None = None
) -> None:
    """What a public reply sets going: the first response and the requester's email for an
    engineer's, the engineers' notice and reopening for a customer's (the caller holds the
    ticket's lock and saves it)."""
    if access.active_agent(author) is not None:
        ticket.first_response_at = ticket.first_response_at or message.created_at
        sla_timers.on_agent_public_reply(ticket, at=message.created_at)
        if then_status is not None and then_status.pk != ticket.status_id:
            require_time(author, ticket, then_status)
            _set_status(ticket, author, channel, then_status)
        notify.agent_replied(ticket, message)  # in the new stage: "send and resolve" asks for a rating
    else:
        if ticket.status.kind in {StatusKind.PENDING, StatusKind.RESOLVED}:
            _set_status(ticket, author, channel, default_status(StatusKind.OPEN))
        notify.customer_replied(ticket, message)  # the engineers read the stage it is in now


def add_note(
    actor: User,
    ticket: Ticket,
    *,
    channel: Channel = Channel.WEB,
    text: str = "",
    html: str = "",
    attachments: Sequence[Upload] = (),
) -> Message:
    """An internal note: seen by agents only, never sent to the customer. The engineers it
    names with `@nombre` who see the ticket are told by email."""
    if not access.can_work(actor, ticket):
        raise NotAllowed(_("Only agents working this ticket can add internal notes."))
    body = _MessageBody.of(text, html, attachments, empty=_("Write the note or attach a file."))
    with transaction.atomic():
        _lock_open(ticket)
        message, files = _post(ticket, actor, MessageKind.NOTE, channel, body, attachments)
        ledger.seal_message(ticket, message, actor=actor, channel=channel, files=files)
        notify.mentioned(ticket, message, mentions.mentioned(ticket, message.body_text, exclude=[actor.pk]))
        ticket.save(update_fields=["last_activity_at", "updated_at"])
        after_commit(TicketEvent("noted", ticket.pk, actor.pk, channel, message.pk))
    return message


def attach_files(
    actor: User, message: Message, *, channel: Channel, files: Sequence[Upload]
) -> list[Attachment]:
    """More files on a message the actor wrote (or, for agents, any message they can work)."""
    ticket = message.ticket
    own_message = message.author_id == actor.pk
    if not (own_message and access.can_reply(actor, ticket)) and not access.can_work(actor, ticket):
        raise NotAllowed(_("You cannot add files to this message."))
    if message.kind == MessageKind.EVENT:
        raise InvalidValue("attachments", _("Files cannot be added to a system event."))
    if not files:
        raise InvalidValue("attachments", _("Choose at least one file."))
    validate_uploads(files)
    with transaction.atomic():
        _lock_open(ticket)
        stored = store_uploads(message, files)
        for attachment in stored:
            ledger.seal_message(
                ticket,
                message,
                actor=actor,
                channel=channel,
                action="attached",
                new_value=attachment.filename,
            )
        ticket.last_activity_at = timezone.now()
        ticket.save(update_fields=["last_activity_at", "updated_at"])
        after_commit(TicketEvent("attached", ticket.pk, actor.pk, channel, message.pk))
    return stored


# --- fields ----------------------------------------------------------------------------


def change_ticket(
    actor: User,
    ticket: Ticket,
    *,
    channel: Channel = Channel.WEB,
    subject: str | _Unset = UNSET,
    status: Status | _Unset = UNSET,
    priority: Priority | _Unset = UNSET,
    queue: Queue | _Unset = UNSET,
    type: TicketType | _Unset = UNSET,
    category: Category | _Unset | None = UNSET,
    location: Location | _Unset | None = UNSET,
    service: Service | _Unset | None = UNSET,
    contract: Contract | _Unset | None = UNSET,
    assignee: Agent | _Unset | None = UNSET,
    tags: Sequence[str] | _Unset = UNSET,
    cc: Sequence[str] | _Unset = UNSET,
) -> list[str]:
    """Change any of the ticket's properties; each change is written to the history.
    Agents who work the ticket change anything; its requester changes what the manual lets
    them (*Modificar*: subject, type, category, location). Returns the fields that changed."""
    requested = {
        name
        for name, value in {
            "subject": subject, "status": status, "priority": priority, "queue": queue, "type": type,
            "category": category, "location": location, "service": service, "contract": contract,
            "assignee": assignee, "tags": tags, "cc": cc,
        }.items()
        if not isinstance(value, _Unset)
    }  # fmt: skip
    if not access.can_work(actor, ticket) and not (
        requested <= REQUESTER_EDITABLE and access.can_edit_as_requester(actor, ticket)
    ):
        raise NotAllowed(_("Only agents working this ticket can change it."))
    with transaction.atomic():
        _lock_open(ticket)
        changes = _validated_changes(
            ticket,
            subject=subject,
            priority=priority,
            queue=queue,
            type=type,
            category=category,
            location=location,
            service=service,
            contract=contract,
            assignee=assignee,
        )
        changed: list[str] = []
        for field, value in changes.items():
            if getattr(ticket, field) == value:
                continue
            _record(ticket, actor, channel, "changed", field, getattr(ticket, field), value)
            setattr(ticket, field, value)
            changed.append(field)
        if not isinstance(status, _Unset) and status.pk != ticket.status_id:
            require_time(actor, ticket, status)
            old_status = ticket.status
            _set_status(ticket, actor, channel, status)
            notify.status_changed(ticket, old_status, status, actor)
            changed.append("status")
        if not isinstance(tags, _Unset) and _set_tags(ticket, actor, channel, tags):
            changed.append("tags")
        if not isinstance(cc, _Unset) and _set_cc(ticket, actor, channel, cc):
            changed.append("cc")
        if "assignee" in changed:
            notify.assigned(ticket, actor)
        if changed and access.active_agent(actor) is None:
            notify.changed_by_requester(ticket, changed)
        if changed:
            ticket.last_activity_at = timezone.now()
            ticket.save()
            after_commit(TicketEvent("changed", ticket.pk, actor.pk, channel, fields=tuple(changed)))
    return changed


def _validated_changes(
    ticket: Ticket,
    *,
    subject: str | _Unset,
    priority: Priority | _Unset,
    queue: Queue | _Unset,
    type: TicketType | _Unset,
    category: Category | _Unset | None,
    location: Location | _Unset | None,
    service: Service | _Unset | None,
    contract: Contract | _Unset | None,
    assignee: Agent | _Unset | None,
) -> dict[str, object]:
    """The requested changes, checked against each other and the ticket; unset ones left out."""
    if not isinstance(queue, _Unset) and not queue.is_active:
        raise InvalidValue("queue", _("This queue no longer takes tickets."))
    new_queue = ticket.queue if isinstance(queue, _Unset) else queue
    if not isinstance(category, _Unset):
        _check_category(category)
    if not isinstance(location, _Unset):
        _check_location(location, ticket.organization)
    if not (isinstance(service, _Unset) and isinstance(contract, _Unset)):
        service, contract = _service_and_contract(
            ticket.organization,
            None if isinstance(service, _Unset) else service,
            None if isinstance(contract, _Unset) else contract,
        )
    moving_away = isinstance(assignee, _Unset) and not isinstance(queue, _Unset) and ticket.assignee
    if moving_away and ticket.assignee and not access.may_be_assigned(ticket.assignee, new_queue):
        assignee = None  # the assignee does not work the new queue: back to the pool
    if isinstance(assignee, Agent) and assignee.is_integration:
        raise InvalidValue(
            "assignee",
            _("%(agent)s is an integration, not an engineer: it cannot be given tickets.")
            % {"agent": assignee},
        )
    if isinstance(assignee, Agent) and not access.may_be_assigned(assignee, new_queue):
        raise InvalidValue(
            "assignee",
            _("%(agent)s does not work in the queue %(queue)s.") % {"agent": assignee, "queue": new_queue},
        )
    requested: dict[str, object] = {
        "subject": subject if isinstance(subject, _Unset) else _clean_subject(subject),
        "priority": priority,
        "queue": queue,
        "type": type,
        "category": category,
        "location": location,
        "service": service,
        "contract": contract,
        "assignee": assignee,
    }
    return {field: value for field, value in requested.items() if not isinstance(value, _Unset)}


def change_status(actor: User, ticket: Ticket, status: Status, *, channel: Channel = Channel.WEB) -> None:
    change_ticket(actor, ticket, status=status, channel=channel)


def assign_ticket(
    actor: User, ticket: Ticket, agent: Agent | None, *, channel: Channel = Channel.WEB
) -> None:
    """Give the ticket to an agent of its queue, or back to the queue with `None`."""
    change_ticket(actor, ticket, assignee=agent, channel=channel)


def take_ticket(actor: User, ticket: Ticket, *, channel: Channel = Channel.WEB) -> None:
    """*Tomar*: the acting agent assigns the ticket to themselves."""
    agent = access.active_agent(actor)
    if agent is None:
        raise NotAllowed(_("Only agents can take tickets."))
    assign_ticket(actor, ticket, agent, channel=channel)


def close_ticket(actor: User, ticket: Ticket, *, channel: Channel = Channel.WEB) -> None:
    """Close for good. The requester may close their own ticket; agents any they work."""
    if not access.can_close(actor, ticket):
        raise NotAllowed(_("You cannot close this ticket."))
    with transaction.atomic():
        _lock_open(ticket)
        old_status, closed = ticket.status, default_status(StatusKind.CLOSED)
        require_time(actor, ticket, closed)
        _set_status(ticket, actor, channel, closed)
        notify.status_changed(ticket, old_status, closed, actor)
        ticket.last_activity_at = timezone.now()
        ticket.save()
        after_commit(TicketEvent("changed", ticket.pk, actor.pk, channel, fields=("status",)))


# --- links -----------------------------------------------------------------------------


def link_tickets(
    actor: User,
    source: Ticket,
    target: Ticket,
    *,
    kind: LinkKind = LinkKind.RELATED,
    channel: Channel = Channel.WEB,
) -> TicketLink:
    """Link two tickets the actor can see (closed ones too: a link changes neither)."""
    if source.pk == target.pk:
        raise InvalidValue("target", _("A ticket cannot be linked to itself."))
    if not (access.can_view(actor, source) and access.can_view(actor, target)):
        raise NotAllowed(_("You cannot link these tickets."))
    if access.active_agent(actor) is None and source.organization_id != target.organization_id:
        raise NotAllowed(_("You cannot link these tickets."))
    existing = TicketLink.objects.filter(source=source, target=target).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        link = _link(actor, source, target, kind=kind, channel=channel)
        after_commit(TicketEvent("linked", source.pk, actor.pk, channel))
    return link


# --- helpers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _MessageBody:
    text: str
    html: str

    @classmethod
    def of(cls, text: str, html: str, attachments: Sequence[Upload], *, empty: str) -> _MessageBody:
        """The sanitized body, refused (with `empty` as the reason) when it says nothing."""
        validate_uploads(attachments)
        clean_html = sanitize_html(html)
        plain = text.strip() or html_to_text(clean_html)
        if not plain and not attachments:
            raise InvalidValue("text", empty)
        return cls(plain, clean_html)


@dataclass(frozen=True)
class _EmailIds:
    """The email a message came in, so replies to it thread and duplicates are recognised,
    and how its sender was verified."""

    message_id: str = ""
    headers: dict[str, Any] = field(default_factory=dict)
    sender_check: SenderCheck = SenderCheck.NOT_EMAIL


def _post(
    ticket: Ticket,
    actor: User,
    kind: MessageKind,
    channel: Channel,
    body: _MessageBody,
    attachments: Sequence[Upload],
    at: datetime.datetime | None = None,
    email: _EmailIds | None = None,
) -> tuple[Message, list[Attachment]]:
    """Add a message with its files to the thread and mark the ticket's activity (the
    caller saves the ticket); returns the message and its files."""
    email = email or _EmailIds()
    message = Message.objects.create(
        ticket=ticket,
        kind=kind,
        author=actor,
        channel=channel,
        body_text=body.text,
        body_html=body.html,
        email_message_id=email.message_id,
        email_headers=email.headers,
        sender_check=email.sender_check,
        created_at=at or timezone.now(),
    )
    files = store_uploads(message, attachments)
    ticket.last_activity_at = message.created_at
    return message, files


def default_status(kind: StatusKind) -> Status:
    """The stage of this kind that changes land on, from the kept vocabulary."""
    found = vocabulary.kept.load().default_status(kind)
    return copy.copy(found) if found is not None else Status.objects.get(kind=kind, is_default=True)


def default_type() -> TicketType:
    """The type a ticket gets when nobody chose one, from the kept vocabulary."""
    found = vocabulary.kept.load().default_type()
    return copy.copy(found) if found is not None else TicketType.objects.get(is_default=True)


def _lock(ticket: Ticket) -> None:
    """Take the ticket's row lock for the rest of the transaction and reload it, so two
    people changing the same ticket at once are applied one after the other (PostgreSQL;
    SQLite serializes writers itself). Call inside `transaction.atomic()`."""
    Ticket.objects.select_for_update().filter(pk=ticket.pk).values_list("pk", flat=True).get()
    ticket.refresh_from_db()


def _lock_open(ticket: Ticket) -> None:
    """Lock and reload the ticket; a closed one refuses any change (see TicketClosed)."""
    _lock(ticket)
    if ticket.is_closed:
        raise TicketClosed(ticket)


def require_time(actor: User, ticket: Ticket, status: Status) -> None:
    """With ATIENDE_REQUIRE_TIME_TO_RESOLVE, an engineer records time before resolving or
    closing a ticket (a requester closing their own ticket is never asked)."""
    if not settings.ATIENDE_REQUIRE_TIME_TO_RESOLVE:
        return
    if status.kind not in {StatusKind.RESOLVED, StatusKind.CLOSED} or access.active_agent(actor) is None:
        return
    if ticket.status.kind in {StatusKind.RESOLVED, StatusKind.CLOSED} or ticket.time_entries.exists():
        return
    raise InvalidValue(
        "status", _("Record the time spent on this ticket (under Time spent) before resolving it.")
    )


def _set_status(ticket: Ticket, actor: User, channel: str, status: Status) -> None:
    now = timezone.now()
    _record(ticket, actor, channel, "changed", "status", ticket.status, status)
    sla_timers.on_status_changed(ticket, ticket.status, status, at=now)
    ticket.status = status
    if status.kind == StatusKind.RESOLVED:
        ticket.resolved_at = now
    elif status.kind == StatusKind.CLOSED:
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    else:
        ticket.resolved_at = None


def _set_tags(ticket: Ticket, actor: User, channel: str, names: Sequence[str]) -> bool:
    wanted = sorted({" ".join(name.split()).lower() for name in names if name.strip()})
    if any(len(name) > 60 for name in wanted):
        raise InvalidValue("tags", _("A tag is limited to 60 characters."))
    current = sorted(ticket.tags.values_list("name", flat=True))
    if wanted == current:
        return False
    tags = [Tag.objects.get_or_create(name=name)[0] for name in wanted]
    ticket.tags.set(tags)
    _record(ticket, actor, channel, "changed", "tags", ", ".join(current), ", ".join(wanted))
    return True


MAX_CC = 20


def _set_cc(ticket: Ticket, actor: User, channel: str, emails: Sequence[str]) -> bool:
    """Who besides the requester receives the public replies by email."""
    wanted = sorted({email.strip().lower() for email in emails if email.strip()})
    for email in wanted:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidValue(
                "cc", _("“%(email)s” is not a valid email address.") % {"email": email}
            ) from None
    if len(wanted) > MAX_CC:
        raise InvalidValue("cc", _("At most %(max)s addresses can be copied.") % {"max": MAX_CC})
    current = sorted(ticket.cc.values_list("email", flat=True))
    if wanted == current:
        return False
    ticket.cc.exclude(email__in=wanted).delete()
    TicketCc.objects.bulk_create(
        [TicketCc(ticket=ticket, email=email) for email in wanted if email not in current]
    )
    _record(ticket, actor, channel, "changed", "cc", ", ".join(current), ", ".join(wanted))
    return True


def _link(actor: User, source: Ticket, target: Ticket, *, kind: LinkKind, channel: str) -> TicketLink:
    link = TicketLink.objects.create(source=source, target=target, kind=kind, created_by=actor)
    with translation.override(settings.LANGUAGE_CODE):
        outgoing, incoming = str(kind.label), kind.incoming_label
    _record(source, actor, channel, "linked", "links", new_value=f"{outgoing} {target.reference}")
    _record(target, actor, channel, "linked", "links", new_value=f"{incoming} {source.reference}")
    return link


def _clean_subject(subject: str) -> str:
    subject = " ".join(subject.split())
    if not subject:
        raise InvalidValue("subject", _("Write a subject that describes the request."))
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise InvalidValue(
            "subject", _("The subject is limited to %(max)s characters.") % {"max": SUBJECT_MAX_LENGTH}
        )
    return subject


# The channels where a contact names the queue themselves; by email and WhatsApp the
# mailbox or the number decides it.
_CHOSEN_BY_CONTACT = frozenset({Channel.WEB, Channel.API})


def _routed_queue(
    actor: User, channel: Channel, organization: Organization, requester: Contact, asked: Queue | None
) -> Queue:
    if (
        asked is not None
        and channel in _CHOSEN_BY_CONTACT
        and access.active_agent(actor) is None
        and not routing.queues_offered_to(organization).filter(pk=asked.pk).exists()
    ):
        raise InvalidValue("queue", _("Choose one of the queues offered to your company."))
    queue = routing.routed_queue(organization, requester, asked)
    if queue is None:
        raise InvalidValue("queue", _("Choose where the request goes (To)."))
    if not queue.is_active:
        raise InvalidValue("queue", _("This queue no longer takes tickets."))
    return queue


def _check_category(category: Category | None) -> None:
    if category is not None and not category.is_active:
        raise InvalidValue("category", _("This category is no longer in use."))


def _check_location(location: Location | None, organization: Organization) -> None:
    if location is not None and (location.organization_id != organization.pk or not location.is_active):
        raise InvalidValue("location", _("Choose one of the company's sites."))


def _service_and_contract(
    organization: Organization, service: Service | None, contract: Contract | None
) -> tuple[Service | None, Contract | None]:
    """A contract in force for the company, or on-demand support when there is none."""
    if contract is not None:
        if contract.organization_id != organization.pk or not contract.is_in_force():
            raise InvalidValue("service", _("This contract is not in force for the company."))
        return contract.service, contract
    if service is None:
        return None, None
    if not service.is_active:
        raise InvalidValue("service", _("This service is no longer offered."))
    if service.is_on_demand:
        return service, None
    in_force = Contract.objects.in_force().filter(organization=organization, service=service).first()
    if in_force is None:
        raise InvalidValue(
            "service",
            _("The company has no contract in force for %(service)s; choose on-demand support.")
            % {"service": service},
        )
    return service, in_force


def _display(value: object) -> str:
    if value is None:
        return ""
    # History keeps the words of the installation's language, whoever is reading.
    with translation.override(settings.LANGUAGE_CODE):
        return str(value)


def _record(
    ticket: Ticket,
    actor: User | None,
    channel: str,
    action: str,
    field: str = "",
    old: Model | str | object = None,
    new: Model | str | object = None,
    *,
    new_value: str = "",
    content_sha256: str = "",
) -> None:
    ledger.append(
        ticket,
        actor=actor,
        channel=channel,
        action=action,
        field=field,
        old_value=_display(old),
        new_value=new_value or _display(new),
        content_sha256=content_sha256,
        value=new,  # sealed when `field` is one the chain keeps
    )
