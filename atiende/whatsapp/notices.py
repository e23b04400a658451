"""The stage notices a contact gets by WhatsApp: the same news the emails carry (received,
waiting on you, resolved, reopened, closed, any other stage), queued in the transaction of
the change like the email outbox, each once (its key names the ticket or the history entry).

Inside the 24-hour window the notice is a text in the contact's language; outside it, the
approved template mapped to that use (in the contact's language when there is one). With
neither, nothing is queued here and `tickets.notify` sends the email instead
(`window.by_whatsapp_only`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from atiende.tickets.models import Status, StatusKind, Ticket
from atiende.whatsapp.models import TemplateUse
from atiende.whatsapp.outbound import TEXT_LIMIT, queue_payload, template_payload
from atiende.whatsapp.window import route_for

REOPENING = {StatusKind.RESOLVED, StatusKind.CLOSED}


def stage_use(old: Status, new: Status) -> TemplateUse:
    """Which notice a change of stage is, in the words of the template mapping."""
    if new.kind == StatusKind.PENDING:
        return TemplateUse.WAITING
    if new.kind == StatusKind.RESOLVED:
        return TemplateUse.RESOLVED
    if new.kind == StatusKind.CLOSED:
        return TemplateUse.CLOSED
    if old.kind in REOPENING:
        return TemplateUse.REOPENED
    return TemplateUse.STAGE


def ticket_received(ticket: Ticket, link: str) -> None:
    """The confirmation with the ticket's number and the link to follow it."""
    _notice(ticket, TemplateUse.RECEIVED, link, key=f"received:{ticket.pk}")


def stage_changed(ticket: Ticket, old: Status, new: Status, link: str, *, event_id: int | None) -> None:
    _notice(ticket, stage_use(old, new), link, key=f"stage:{event_id}", old=old, new=new)


def _notice(
    ticket: Ticket,
    use: TemplateUse,
    link: str,
    *,
    key: str,
    old: Status | None = None,
    new: Status | None = None,
) -> None:
    route = route_for(ticket)
    if route is None:
        return
    language = ticket.requester.user.language or settings.LANGUAGE_CODE
    payload: dict[str, Any]
    if route.is_open:
        with translation.override(language):
            text = _text(use, ticket, link, old, new)
        payload = {"type": "text", "text": {"body": text[:TEXT_LIMIT], "preview_url": False}}
    else:
        template = route.template(use, language)
        if template is None:
            return
        payload = template_payload(template, ticket, "")
    queue_payload(route, ticket, payload, key)


def _text(use: TemplateUse, ticket: Ticket, link: str, old: Status | None, new: Status | None) -> str:
    values = {
        "number": ticket.number,
        "subject": ticket.subject,
        "link": link,
        "old": old.portal_name if old is not None else "",
        "stage": new.portal_name if new is not None else "",
    }
    if use == TemplateUse.RECEIVED:
        text = _("We received your ticket #%(number)s (%(subject)s). Follow it here: %(link)s")
    elif use == TemplateUse.WAITING:
        text = _(
            "Your ticket #%(number)s (%(subject)s) is waiting for your answer: we need something "
            "from you to continue. Reply here or at %(link)s"
        )
    elif use == TemplateUse.RESOLVED:
        text = _("Your ticket #%(number)s (%(subject)s) was resolved. Write here if something is missing.")
    elif use == TemplateUse.REOPENED:
        text = _("Your ticket #%(number)s (%(subject)s) was reopened: we are working on it again.")
    elif use == TemplateUse.CLOSED:
        text = _(
            "Your ticket #%(number)s (%(subject)s) was closed. If you need to take it up again, "
            "open a new ticket citing this number."
        )
    else:
        text = _("Your ticket #%(number)s (%(subject)s) went from “%(old)s” to “%(stage)s”.")
    return text % values
