"""The answers mail-in sends by itself: to a sender we cannot take mail from, and to a
reply on a closed ticket. Never to automatic mail (the caller filtered it), only to
senders whose address was verified (the caller checks), never repeating the subject or
text we received (so a forged sender cannot use us to relay spam), at most
ATIENDE_MAIL_AUTOREPLIES_PER_HOUR per sender (two robots cannot loop through us) and
ATIENDE_MAIL_AUTOREPLIES_TOTAL_PER_HOUR in all."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from atiende.mail.parse import ParsedEmail
from atiende.outbox.headers import AUTO_REPLIED
from atiende.outbox.models import OutboundEmail
from atiende.outbox.outbox import Recipient, enqueue
from atiende.tickets.models import Ticket

AUTOMATIC_ANSWERS = ("mail_unknown_sender", "mail_closed_ticket")


def unknown_sender(mail: ParsedEmail) -> None:
    """Tell someone we have no account for how to reach support instead."""
    if mail.bulk or not _may_answer(mail.sender):
        return
    enqueue(
        "mail_unknown_sender",
        Recipient(mail.sender, settings.LANGUAGE_CODE),
        {
            "support_email": settings.ATIENDE_SUPPORT_EMAIL,
            "support_phone": settings.ATIENDE_SUPPORT_PHONE,
            "support_whatsapp": settings.ATIENDE_SUPPORT_WHATSAPP,
        },
        headers=_answering(mail),
    )


def closed_ticket(mail: ParsedEmail, closed: Ticket, new_number: int | None) -> None:
    """A reply to a closed ticket opened a new one: say so, with both numbers."""
    user_language = settings.LANGUAGE_CODE
    if not _may_answer(mail.sender):
        return
    new_ticket = (
        Ticket.objects.filter(number=new_number).select_related("requester__user").first()
        if new_number is not None
        else None
    )
    if new_ticket is not None:
        user_language = new_ticket.requester.user.language or user_language
    enqueue(
        "mail_closed_ticket",
        Recipient(mail.sender, user_language),
        {
            "closed": closed,
            "new": new_ticket,
            "link": settings.ATIENDE_BASE_URL + reverse("portal:ticket-detail", args=[new_number])
            if new_number
            else "",
        },
        ticket_number=new_number,
        headers=_answering(mail),
    )


def _may_answer(sender: str) -> bool:
    since = timezone.now() - datetime.timedelta(hours=1)
    recent = OutboundEmail.objects.filter(kind__in=AUTOMATIC_ANSWERS, created_at__gte=since)
    if recent.count() >= settings.ATIENDE_MAIL_AUTOREPLIES_TOTAL_PER_HOUR:
        return False
    return recent.filter(to=[sender]).count() < settings.ATIENDE_MAIL_AUTOREPLIES_PER_HOUR


def _answering(mail: ParsedEmail) -> dict[str, str]:
    headers = {"Auto-Submitted": AUTO_REPLIED}
    if mail.message_id:
        headers["In-Reply-To"] = mail.message_id
        headers["References"] = mail.message_id
    return headers
