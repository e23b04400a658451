"""The emails tickets cause, queued in the outbox inside the action's transaction.

Customers (the requester and the copied addresses) hear of public changes; agents hear of
new tickets in their queues, tickets assigned to them and customer replies. Nobody is told
of what they did themselves. Every notice has a dedupe key naming the event and the
recipient, so running the same change twice never sends it twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from atiende.accounts.models import Agent, NotificationPreference, User
from atiende.outbox.headers import AUTO_GENERATED, AUTO_REPLIED
from atiende.outbox.outbox import Recipient, enqueue, enqueue_each
from atiende.satisfaction import queries as satisfaction
from atiende.tickets import vocabulary
from atiende.tickets.models import Channel, HistoryEvent, Message, MessageKind, Status, StatusKind, Ticket
from atiende.whatsapp import notices as whatsapp_notices
from atiende.whatsapp import window as whatsapp_window
from atiende.whatsapp.models import TemplateUse


def portal_link(ticket: Ticket) -> str:
    return settings.ATIENDE_BASE_URL + reverse("portal:ticket-detail", args=[ticket.number])


def desk_link(ticket: Ticket) -> str:
    return settings.ATIENDE_BASE_URL + reverse("desk:ticket", args=[ticket.number])


def _recipient(user: User) -> Recipient:
    return Recipient(user.email, user.language or settings.LANGUAGE_CODE)


def _reply_to(ticket: Ticket) -> str:
    """Replies go to the ticket's queue, where the mail channel files them on the ticket."""
    return ticket.queue.email_address or settings.ATIENDE_SUPPORT_EMAIL


def _send(
    template: str,
    ticket: Ticket,
    recipient: Recipient,
    context: dict[str, object],
    *,
    dedupe_key: str,
    auto_submitted: str | None = AUTO_GENERATED,
    render_later: bool = False,
) -> None:
    enqueue(
        template,
        recipient,
        context,
        dedupe_key=dedupe_key[:120],
        ticket_number=ticket.number,
        reply_to=_reply_to(ticket),
        auto_submitted=auto_submitted,
        render_later=render_later,
    )


def _send_to_agents(
    template: str,
    ticket: Ticket,
    agents: Sequence[Agent],
    context: dict[str, object],
    *,
    event: str,
    render_later: bool = False,
) -> None:
    """One notice to several agents: rendered once per language (`enqueue_each`); the dedupe
    key is the event and the agent."""
    enqueue_each(
        template,
        [(_recipient(agent.user), f"{event}:{agent.pk}"[:120]) for agent in agents],
        context,
        ticket_number=ticket.number,
        reply_to=_reply_to(ticket),
        render_later=render_later,
    )


# --- the customer side -----------------------------------------------------------------


@dataclass(frozen=True)
class _Reader:
    """Someone on the customer side who gets a notice: `name` greets them (empty for an
    address that has no account)."""

    recipient: Recipient
    name: str


def _wants(contact_user: User, preference: str, *, important: bool) -> bool:
    if not contact_user.is_active or preference == NotificationPreference.NONE:
        return False
    return important or preference == NotificationPreference.ALL


def _customers(
    ticket: Ticket, *, important: bool, use: TemplateUse, actor: User | None = None
) -> list[_Reader]:
    """The requester and the copied addresses who want this kind of news, except the actor
    (and the requester when WhatsApp carries this news instead, see `whatsapp.window`).
    A copied address with an account follows that person's language and preference; one
    without gets the installation's language."""
    readers: list[_Reader] = []
    requester = ticket.requester.user
    if (
        requester != actor
        and _wants(requester, ticket.requester.notifications, important=important)
        and not whatsapp_window.by_whatsapp_only(ticket, use)
    ):
        readers.append(_Reader(_recipient(requester), requester.get_short_name()))
    for email in ticket.cc.exclude(email__iexact=requester.email).values_list("email", flat=True):
        user = User.objects.by_email(email, "contact")
        if user is None:
            readers.append(_Reader(Recipient(email, settings.LANGUAGE_CODE), ""))
            continue
        contact = getattr(user, "contact", None)
        preference = contact.notifications if contact is not None else NotificationPreference.ALL
        if user != actor and _wants(user, preference, important=important):
            readers.append(
                _Reader(Recipient(email, user.language or settings.LANGUAGE_CODE), user.get_short_name())
            )
    return readers


def ticket_opened(ticket: Ticket, *, repeat_subject: bool = True) -> None:
    """The requester's confirmation, with the link to follow the ticket in the portal. When
    their email opened the ticket, the confirmation is an automatic answer to it; when that
    email's sender is unverified, it does not repeat the subject. Rendered by the worker
    that sends it: opening a ticket (mail ingestion above all) renders nothing."""
    requester = ticket.requester
    if requester.notifications == NotificationPreference.NONE or not requester.user.is_active:
        return
    whatsapp_notices.ticket_received(ticket, portal_link(ticket))
    if whatsapp_window.by_whatsapp_only(ticket, TemplateUse.RECEIVED):
        return
    by_email = ticket.channel == Channel.EMAIL and ticket.created_by_id == requester.user_id
    _send(
        "ticket_opened",
        ticket,
        _recipient(requester.user),
        {
            "ticket": ticket,
            "link": portal_link(ticket),
            "registered_for_them": ticket.created_by_id != requester.user_id,
            "repeat_subject": repeat_subject,
        },
        dedupe_key=f"ticket-opened:{ticket.pk}",
        auto_submitted=AUTO_REPLIED if by_email else AUTO_GENERATED,
        render_later=True,
    )


def _rating_faces(ticket: Ticket, recipient: Recipient) -> list[satisfaction.Face]:
    """The requester (only them) rates a resolution with one click from the email that
    tells them of it: the stage's notice, or the reply sent with *Resolver*."""
    resolved = ticket.status.kind == StatusKind.RESOLVED and ticket.resolved_at is not None
    if not resolved or recipient.email.lower() != ticket.requester.user.email.lower():
        return []
    return satisfaction.faces(ticket)


def signed_by_author(message: Message) -> bool:
    """Whether the reply already ends with its author's name (typed, or a canned reply's
    `{agent_name}`): the email then adds no second signature."""
    if message.author is None:
        return False
    name = " ".join(message.author.get_full_name().split()).casefold()
    if not name:
        return False
    lines = [" ".join(line.split()).casefold() for line in message.body_text.splitlines() if line.strip()]
    return any(name in line for line in lines[-3:])


def agent_replied(ticket: Ticket, message: Message) -> None:
    """The requester and the copied addresses get the engineer's public reply by email. A
    person wrote it, so it is not marked as automatic. A reply that resolves the ticket
    carries the requester's rating faces."""
    for reader in _customers(ticket, important=True, use=TemplateUse.NEW_REPLY, actor=message.author):
        _send(
            "ticket_reply",
            ticket,
            reader.recipient,
            {
                "ticket": ticket,
                "message": message,
                "link": portal_link(ticket),
                "rating_faces": _rating_faces(ticket, reader.recipient),
                "signed": signed_by_author(message),
            },
            dedupe_key=f"reply:{message.pk}:{reader.recipient.email}",
            auto_submitted=None,
        )


def status_changed(ticket: Ticket, old: Status, new: Status, actor: User | None = None) -> None:
    """The requester and the copied addresses hear of every change of stage (resolved and
    closed even when they asked for important news only); the actor is not told. The
    requester hears it by WhatsApp too when their news goes there (email off: only there)."""
    important = new.kind in {StatusKind.RESOLVED, StatusKind.CLOSED}
    event = _latest_event(ticket, "status")
    requester = ticket.requester
    if requester.user != actor and _wants(requester.user, requester.notifications, important=important):
        whatsapp_notices.stage_changed(ticket, old, new, portal_link(ticket), event_id=event)
    use = whatsapp_notices.stage_use(old, new)
    for reader in _customers(ticket, important=important, use=use, actor=actor):
        _send(
            "ticket_status",
            ticket,
            reader.recipient,
            {
                "ticket": ticket,
                "old": old,
                "new": new,
                "link": portal_link(ticket),
                "name": reader.name,
                "rating_faces": _rating_faces(ticket, reader.recipient),
            },
            dedupe_key=f"status:{event}:{reader.recipient.email}",
        )


def merged(duplicate: Ticket, survivor: Ticket) -> None:
    """Both requesters learn where the conversation continues."""
    users = {ticket.requester.user for ticket in (duplicate, survivor)}
    for user in users:
        if not user.is_active:
            continue
        _send(
            "ticket_merged",
            survivor,
            _recipient(user),
            {"duplicate": duplicate, "survivor": survivor, "link": portal_link(survivor), "user": user},
            dedupe_key=f"merged:{duplicate.pk}:{user.pk}",
        )


# --- agents ----------------------------------------------------------------------------


def _agents(agents: Iterable[Agent], actor: User | None) -> list[Agent]:
    """The agents who want email, are active, and are not the actor."""
    return [
        agent
        for agent in agents
        if agent.email_notifications and agent.user.is_active and agent.user_id != getattr(actor, "pk", None)
    ]


def _queue_agents(ticket: Ticket) -> list[Agent]:
    """The queue's engineers, from the kept copies (`vocabulary.parties`) when they hold
    every one of them."""
    kept = vocabulary.parties.load().engineers_of(ticket.queue_id)
    if kept is not None:
        return kept
    return list(ticket.queue.agents.select_related("user").order_by("pk"))


def new_ticket_for_queue(ticket: Ticket, first: Message | None = None) -> None:
    """The queue's agents hear of a new ticket in it (not the one who opened it), with its
    `first` public message (looked up when not given). Rendered by the worker that sends it."""
    agents = _agents(_queue_agents(ticket), ticket.created_by)
    if agents:
        message = first if first is not None else _first_public(ticket)
        context = {"ticket": ticket, "link": desk_link(ticket), "message": message}
        _send_to_agents(
            "agent_new_ticket", ticket, agents, context, event=f"agent-new:{ticket.pk}", render_later=True
        )


def assigned(ticket: Ticket, actor: User) -> None:
    """The new assignee hears that the ticket is theirs, unless they took it themselves."""
    assignee = ticket.assignee
    if assignee is None or not _agents([assignee], actor):
        return
    _send(
        "agent_assigned",
        ticket,
        _recipient(assignee.user),
        {"ticket": ticket, "link": desk_link(ticket), "actor": actor},
        dedupe_key=f"assigned:{_latest_event(ticket, 'assignee')}:{assignee.pk}",
    )


def mentioned(ticket: Ticket, message: Message, agents: Sequence[Agent]) -> None:
    """The engineers an internal note names (`@nombre`) are told, with the note."""
    wanted = _agents(agents, message.author)
    if wanted:
        context = {"ticket": ticket, "message": message, "link": f"{desk_link(ticket)}#m{message.pk}"}
        _send_to_agents("agent_mentioned", ticket, wanted, context, event=f"mention:{message.pk}")


def customer_replied(ticket: Ticket, message: Message) -> None:
    """A customer (the requester or a copied person) wrote on the ticket: its assignee is
    told, or the queue's agents while nobody has it. Rendered by the worker that sends it."""
    agents = [ticket.assignee] if ticket.assignee is not None else _queue_agents(ticket)
    context = {"ticket": ticket, "message": message, "link": desk_link(ticket)}
    _send_to_agents(
        "agent_customer_replied",
        ticket,
        _agents(agents, message.author),
        context,
        event=f"customer-reply:{message.pk}",
        render_later=True,
    )


def changed_by_requester(ticket: Ticket, fields: Sequence[str]) -> None:
    """Tell the assigned engineer what the requester corrected (*Modificar*)."""
    if ticket.assignee is None or not _agents([ticket.assignee], ticket.requester.user):
        return
    _send(
        "ticket_changed_by_requester",
        ticket,
        _recipient(ticket.assignee.user),
        {
            "ticket": ticket,
            "fields": [getattr(Ticket._meta.get_field(name), "verbose_name", name) for name in fields],
            "link": desk_link(ticket),
        },
        dedupe_key=f"changed:{_latest_event(ticket)}:{ticket.assignee.pk}",
    )


def _latest_event(ticket: Ticket, field: str | None = None) -> int | None:
    """The history entry the change just wrote: it names the event in dedupe keys."""
    events = HistoryEvent.objects.filter(ticket=ticket)
    if field is not None:
        events = events.filter(field=field)
    return events.order_by("-pk").values_list("pk", flat=True).first()


def _first_public(ticket: Ticket) -> Message | None:
    return ticket.messages.filter(kind=MessageKind.PUBLIC).order_by("created_at", "pk").first()
