"""Merging a duplicate into another ticket, and splitting a message off into a new one."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from atiende.accounts.models import User
from atiende.billing import locks
from atiende.sla import timers as sla_timers
from atiende.tickets import access, ledger, notify
from atiende.tickets.actions.core import _link, _lock, _lock_open, _set_status, default_status
from atiende.tickets.effects import TicketEvent, after_commit
from atiende.tickets.exceptions import InvalidValue, NotAllowed, TicketClosed
from atiende.tickets.models import (
    Attachment,
    Channel,
    LinkKind,
    Message,
    MessageKind,
    StatusKind,
    Ticket,
    TimeEntry,
)
from atiende.tickets.numbering import next_ticket_number


def merge_tickets(
    actor: User, duplicate: Ticket, survivor: Ticket, *, channel: Channel = Channel.WEB
) -> Ticket:
    """Move the duplicate's messages, files and time into the survivor and close the
    duplicate pointing to it. Both requesters are told where the conversation continues.

    Time of a month already issued (for either ticket's contract or company) stays on the
    duplicate: moving it would change what an issued statement says it billed, or add time
    to a closed month under the survivor's contract."""
    if duplicate.pk == survivor.pk:
        raise InvalidValue("target", _("A ticket cannot be merged into itself."))
    if not (access.can_work(actor, duplicate) and access.can_work(actor, survivor)):
        raise NotAllowed(_("You can only merge tickets you work on."))
    if duplicate.organization_id != survivor.organization_id:
        raise InvalidValue("target", _("Only tickets of the same company can be merged."))
    with transaction.atomic():
        for ticket in sorted((duplicate, survivor), key=lambda t: t.pk):
            _lock(ticket)
        for ticket in (duplicate, survivor):
            if ticket.is_closed:
                raise TicketClosed(ticket)
        now = timezone.now()
        moved = list(Message.objects.filter(ticket=duplicate).prefetch_related("attachments"))
        Message.objects.filter(ticket=duplicate).update(ticket=survivor)
        Attachment.objects.filter(ticket=duplicate).update(ticket=survivor)
        kept = _billed_entries(duplicate, survivor)
        TimeEntry.objects.filter(ticket=duplicate).exclude(pk__in=kept).update(ticket=survivor)
        with translation.override(settings.LANGUAGE_CODE):
            _event(
                survivor,
                actor,
                channel,
                _("Ticket #%(number)s (%(subject)s) was merged into this one.")
                % {"number": duplicate.number, "subject": duplicate.subject},
            )
            _event(
                duplicate, actor, channel, _("Merged into ticket #%(number)s.") % {"number": survivor.number}
            )
            if kept:
                _event(
                    duplicate,
                    actor,
                    channel,
                    ngettext(
                        "%(count)s time entry stays here: its month was already billed.",
                        "%(count)s time entries stay here: their months were already billed.",
                        len(kept),
                    )
                    % {"count": len(kept)},
                )
        _link(actor, duplicate, survivor, kind=LinkKind.DUPLICATE, channel=channel)
        ledger.record_merge(duplicate, survivor, moved, actor=actor, channel=channel)
        _set_status(duplicate, actor, channel, default_status(StatusKind.CLOSED))
        for ticket in (duplicate, survivor):
            ticket.last_activity_at = now
            ticket.save()
        notify.merged(duplicate, survivor)
        after_commit(TicketEvent("merged", survivor.pk, actor.pk, channel, fields=(duplicate.reference,)))
    return survivor


def _billed_entries(duplicate: Ticket, survivor: Ticket) -> list[int]:
    """The duplicate's time entries in months an issued statement closed for either ticket."""
    kept: list[int] = []
    months: dict[tuple[int, int], bool] = {}
    for pk, day in TimeEntry.objects.filter(ticket=duplicate).values_list("pk", "work_date"):
        key = (day.year, day.month)
        if key not in months:
            months[key] = any(
                locks.closing_statement(ticket.organization_id, ticket.contract_id, day) is not None
                for ticket in (duplicate, survivor)
            )
        if months[key]:
            kept.append(pk)
    return kept


def split_message(
    actor: User, message: Message, *, subject: str = "", channel: Channel = Channel.WEB
) -> Ticket:
    """A public message that is really another request becomes a new ticket of its own,
    linked to the one it came from."""
    original = message.ticket
    if not access.can_work(actor, original):
        raise NotAllowed(_("You can only split messages of tickets you work on."))
    if message.kind != MessageKind.PUBLIC:
        raise InvalidValue("message", _("Only public messages can become a ticket of their own."))
    with transaction.atomic():
        _lock_open(original)
        if not original.messages.filter(kind=MessageKind.PUBLIC).exclude(pk=message.pk).exists():
            raise InvalidValue("message", _("This is the ticket's only message: nothing would be left."))
        author_contact = getattr(message.author, "contact", None) if message.author else None
        is_member = (
            author_contact is not None
            and author_contact.memberships.filter(organization_id=original.organization_id).exists()
        )
        now = timezone.now()
        ticket = Ticket.objects.create(
            number=next_ticket_number(),
            subject=" ".join(subject.split())[:250] or original.subject,
            organization=original.organization,
            requester=author_contact if is_member and author_contact else original.requester,
            created_by=actor,
            channel=message.channel,
            queue=original.queue,
            service=original.service,
            contract=original.contract,
            type=original.type,
            priority=original.priority,
            status=default_status(StatusKind.NEW),
            created_at=now,
            last_activity_at=now,
        )
        message.ticket = ticket
        message.save(update_fields=["ticket"])
        message.attachments.update(ticket=ticket)
        ledger.record_opening(ticket, message, actor=actor, channel=channel)
        with translation.override(settings.LANGUAGE_CODE):
            _event(
                original,
                actor,
                channel,
                _("A message was split off into ticket #%(number)s.") % {"number": ticket.number},
                released=message.pk,
            )
            _event(
                ticket, actor, channel, _("Split off from ticket #%(number)s.") % {"number": original.number}
            )
        sla_timers.on_opened(ticket)
        _link(actor, ticket, original, kind=LinkKind.RELATED, channel=channel)
        for each in (original, ticket):
            each.save()
        notify.ticket_opened(ticket)
        notify.new_ticket_for_queue(ticket)
        after_commit(TicketEvent("opened", ticket.pk, actor.pk, channel, message.pk))
    return ticket


def _event(ticket: Ticket, actor: User, channel: str, text: str, *, released: int | None = None) -> Message:
    """A system event in the thread, worded in the installation's language and sealed in
    the ticket's history (with the message that left the ticket in the same step)."""
    event = Message.objects.create(
        ticket=ticket, kind=MessageKind.EVENT, author=actor, channel=channel, body_text=text
    )
    ledger.seal_message(ticket, event, actor=actor, channel=channel, released=[released] if released else [])
    return event
