"""What the system itself records on a ticket: events no person caused."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from atiende.tickets import ledger
from atiende.tickets.actions.core import _lock
from atiende.tickets.models import Channel, Message, MessageKind, Ticket


def record_delivery_failure(ticket: Ticket, *, recipients: list[str], diagnostic: str) -> Message:
    """A notice we emailed could not be delivered: agents see it in the thread (never the
    customer), with the receiving server's answer."""
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        who = ", ".join(recipients) or _("a recipient")
        text = _("Email to %(who)s could not be delivered.") % {"who": who}
        if diagnostic:
            text += " " + _("The receiving server answered: %(answer)s") % {"answer": diagnostic}
        _lock(ticket)  # the event is sealed at the end of the ticket's history
        message = Message.objects.create(
            ticket=ticket, kind=MessageKind.EVENT, channel=Channel.EMAIL, body_text=text
        )
        ledger.seal_message(ticket, message, actor=None, channel=Channel.EMAIL)
        return message
