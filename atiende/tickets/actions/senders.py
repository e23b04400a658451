"""Email whose sender proved nothing waits for an engineer (see `SenderCheck`)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from atiende.accounts.models import User
from atiende.errors import InvalidValue, NotAllowed
from atiende.tickets import access, ledger
from atiende.tickets.actions.core import _lock, reply_effects, status_moved
from atiende.tickets.effects import TicketEvent, after_commit
from atiende.tickets.models import Channel, Message, SenderCheck


def accept_message(actor: User, message: Message, *, channel: Channel = Channel.WEB) -> None:
    """An engineer vouches for a held email: it joins the conversation as if it had just
    arrived — the contacts see it, the engineers are told, a ticket waiting on the customer
    moves back to in progress. On a closed ticket it is only marked accepted."""
    ticket = message.ticket
    if not access.can_work(actor, ticket):
        raise NotAllowed(_("Only agents working this ticket can accept a message."))
    with transaction.atomic():
        _lock(ticket)
        message.refresh_from_db()
        if message.sender_check != SenderCheck.HELD:
            raise InvalidValue("message", _("This message is not waiting to be accepted."))
        message.sender_check = SenderCheck.ACCEPTED
        message.save(update_fields=["sender_check"])
        ledger.accept_message(ticket, message, actor=actor, channel=channel)
        status_before = ticket.status_id
        if not ticket.is_closed and message.author is not None:
            reply_effects(message.author, ticket, message, channel)
        ticket.save()
        after_commit(TicketEvent("accepted", ticket.pk, actor.pk, channel, message.pk))
        status_moved(ticket, status_before, actor, channel)
