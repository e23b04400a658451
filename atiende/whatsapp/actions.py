"""What the WhatsApp channel records on a ticket by itself."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from atiende.accounts.models import User
from atiende.errors import InvalidValue, NotAllowed
from atiende.tickets import access, ledger
from atiende.tickets.actions.core import _lock
from atiende.tickets.models import Channel, Message, MessageKind, Ticket
from atiende.whatsapp.models import OutboundKind, OutboundMessage, OutboundStatus, TemplateUse
from atiende.whatsapp.outbound import template_payload
from atiende.whatsapp.window import route_for

TEMPLATE_FIELD = "whatsapp_template"


def choose_reply_template(actor: User, message: Message, template_id: str) -> None:
    """The template the engineer chose for a reply sent outside the 24-hour window (call it
    in the reply's transaction, before it commits): the contact gets that one instead of the
    first mapped. Only an approved template mapped to replies on the number that writes to
    the contact is accepted. With the window open the reply's own text goes, and the choice
    does not matter."""
    ticket = message.ticket
    if not access.can_reply(actor, ticket):
        raise NotAllowed(_("You cannot reply to this ticket."))
    route = route_for(ticket)
    queued = OutboundMessage.objects.filter(
        message=message, kind=OutboundKind.TEMPLATE, status=OutboundStatus.PENDING
    )
    if route is None or route.is_open or not queued.exists():
        return
    chosen = next(
        (t for t in route.templates(TemplateUse.NEW_REPLY) if str(t.pk) == template_id.strip()), None
    )
    if chosen is None:
        raise InvalidValue(
            TEMPLATE_FIELD,
            _(
                "That WhatsApp template is not approved for replies on %(number)s. Choose one of the "
                "templates offered under the text."
            )
            % {"number": route.number.display_phone},
        )
    queued.update(payload=template_payload(chosen, ticket, message.body_text))


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
