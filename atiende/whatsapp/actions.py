"""What the WhatsApp channel records on a ticket by itself."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from atiende.tickets import ledger
from atiende.tickets.actions.core import _lock
from atiende.tickets.models import Channel, Message, MessageKind, Ticket


def record_whatsapp_failure(ticket: Ticket, *, to: str, error: str, fallback: bool) -> Message:
    """A WhatsApp message could not be delivered: agents see it in the thread (never the
    customer), with Meta's answer and whether the email went instead."""
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        text = _("WhatsApp to %(to)s could not be delivered: %(error)s") % {"to": to, "error": error or "?"}
        if fallback:
            text += " " + _("The message was sent by email instead.")
        _lock(ticket)  # the event is sealed at the end of the ticket's history
        message = Message.objects.create(
            ticket=ticket, kind=MessageKind.EVENT, channel=Channel.WHATSAPP, body_text=text
        )
        ledger.seal_message(ticket, message, actor=None, channel=Channel.WHATSAPP)
        return message
