"""WhatsApp's customer-service window: a business may write freely for 24 hours after the
person's last message; outside it, only an approved template may be sent."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from atiende.accounts.models import Contact, NotificationChannel
from atiende.tickets.models import Channel, Ticket
from atiende.whatsapp.models import InboundMessage, MessageTemplate, TemplateUse, WhatsAppNumber

WINDOW = datetime.timedelta(hours=24)


@dataclass(frozen=True)
class Route:
    """Where a ticket's WhatsApp messages go, and whether the window is open."""

    number: WhatsAppNumber
    to: str
    open_until: datetime.datetime | None

    @property
    def is_open(self) -> bool:
        return self.open_until is not None and self.open_until > timezone.now()

    def templates(self, use: TemplateUse) -> list[MessageTemplate]:
        """The approved templates mapped to this use on this number."""
        return list(MessageTemplate.objects.filter(number=self.number, use=use, approved=True))

    def template(self, use: TemplateUse, language: str = "") -> MessageTemplate | None:
        """The one to send for a notice: in the contact's language when there is one."""
        found = self.templates(use)
        wanted = language.lower().replace("-", "_")
        for template in found:
            if wanted and template.language.lower().split("_")[0] == wanted.split("_")[0]:
                return template
        return found[0] if found else None


def contact_phone(contact: Contact) -> str:
    """The contact's WhatsApp: their field, else the number they last wrote from."""
    if contact.whatsapp:
        return contact.whatsapp
    last = InboundMessage.objects.filter(contact=contact).order_by("-sent_at").values_list("phone", flat=True)
    return last.first() or ""


def route_for(ticket: Ticket) -> Route | None:
    """The route when this ticket's news goes by WhatsApp: a WhatsApp ticket, or a contact
    who asked for WhatsApp notifications, with a number to write to."""
    contact = ticket.requester
    wants = ticket.channel == Channel.WHATSAPP or contact.notify_by != NotificationChannel.EMAIL
    if not wants:
        return None
    to = contact_phone(contact)
    if not to:
        return None
    last = InboundMessage.objects.filter(phone=to, number__is_active=True).order_by("-sent_at").first()
    number = last.number if last is not None else _number_for(ticket)
    if number is None:
        return None
    open_until = last.sent_at + WINDOW if last is not None and last.number_id == number.pk else None
    return Route(number, to, open_until)


def _number_for(ticket: Ticket) -> WhatsAppNumber | None:
    active = WhatsAppNumber.objects.filter(is_active=True)
    return active.filter(queue=ticket.queue_id).first() or active.order_by("pk").first()


def by_whatsapp_only(ticket: Ticket, use: TemplateUse = TemplateUse.NEW_REPLY) -> bool:
    """The requester chose WhatsApp instead of email, and WhatsApp can carry this news: the
    window is open, or an approved template is mapped for it (otherwise the email goes)."""
    if ticket.requester.notify_by != NotificationChannel.WHATSAPP:
        return False
    route = route_for(ticket)
    return route is not None and (route.is_open or route.template(use) is not None)
