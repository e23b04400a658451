"""WhatsApp out: queued inside the transaction of the change that causes it, sent after
commit by a task that first claims the row (one conditional UPDATE), so a crash neither
loses a message nor lets two workers send it.

What goes out: an engineer's public reply on a ticket whose news goes by WhatsApp (its
text, then each file), and the stage notices (`notices.py`). Outside the 24-hour window
only the templates mapped to those uses can be sent; with none mapped, nothing is queued
and the email (if the contact turned it off for WhatsApp) goes instead.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, TextField, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from atiende.accounts.models import NotificationChannel
from atiende.outbox.outbox import Recipient, enqueue
from atiende.tickets import access
from atiende.tickets.models import Attachment, Message, MessageKind, Ticket
from atiende.whatsapp import graph
from atiende.whatsapp.models import (
    MessageTemplate,
    OutboundKind,
    OutboundMessage,
    OutboundStatus,
    TemplateUse,
    WhatsAppNumber,
)
from atiende.whatsapp.payloads import StatusUpdate
from atiende.whatsapp.window import Route, route_for

if TYPE_CHECKING:
    from atiende.tickets.effects import TicketEvent

logger = logging.getLogger("atiende.whatsapp")
MAX_ATTEMPTS = 8
TRACKER_PREFIX = "atiende-out:"

TEXT_LIMIT = 4096  # Meta's limit for a text message body
STATUS_ORDER = {
    OutboundStatus.PENDING: 0,
    OutboundStatus.SENT: 1,
    OutboundStatus.DELIVERED: 2,
    OutboundStatus.READ: 3,
}


def queue_for(event: TicketEvent) -> None:
    """Queue what a ticket change sends by WhatsApp (called inside its transaction)."""
    if event.kind == "replied" and event.message_id is not None:
        message = Message.objects.select_related("ticket__requester__user", "author").get(pk=event.message_id)
        by_agent = message.author is not None and access.active_agent(message.author) is not None
        if message.kind == MessageKind.PUBLIC and not message.is_held and by_agent:
            queue_reply(message)


def queue_reply(message: Message) -> list[OutboundMessage]:
    ticket = message.ticket
    route = route_for(ticket)
    if route is None:
        return []
    if not route.is_open:
        language = ticket.requester.user.language or settings.LANGUAGE_CODE
        template = route.template(TemplateUse.NEW_REPLY, language)
        if template is None:
            _email_instead(ticket, message)
            return []
        return _queue(
            route, ticket, message, [template_payload(template, ticket, message.body_text)], "reply"
        )
    payloads: list[dict[str, Any]] = []
    if message.body_text.strip():
        payloads.append(
            {"type": "text", "text": {"body": message.body_text[:TEXT_LIMIT], "preview_url": False}}
        )
    payloads.extend({"attachment": pk} for pk in message.attachments.values_list("pk", flat=True))
    return _queue(route, ticket, message, payloads, "reply")


def queue_payload(route: Route, ticket: Ticket, payload: dict[str, Any], key: str) -> None:
    """Queue one notice that belongs to no message (see `notices`)."""
    _queue(route, ticket, None, [payload], key)


def template_values(ticket: Ticket, text: str) -> dict[str, str]:
    """What a template's parameters can name, for this ticket."""
    from atiende.tickets.notify import portal_link  # the same link the emails carry

    return {
        "number": str(ticket.number),
        "subject": ticket.subject,
        "link": portal_link(ticket),
        "name": ticket.requester.user.get_short_name(),
        "text": " ".join(text.split())[:1000],
    }


def template_payload(template: MessageTemplate, ticket: Ticket, text: str) -> dict[str, Any]:
    values = template_values(ticket, text)
    parameters = [{"type": "text", "text": values.get(str(name), "")} for name in template.parameters or []]
    body: dict[str, Any] = {"name": template.name, "language": {"code": template.language}}
    if parameters:
        body["components"] = [{"type": "body", "parameters": parameters}]
    return {"type": "template", "template": body}


def _queue(
    route: Route, ticket: Ticket, message: Message | None, payloads: list[dict[str, Any]], key: str
) -> list[OutboundMessage]:
    queued = []
    for index, payload in enumerate(payloads):
        kind = OutboundKind.DOCUMENT if "attachment" in payload else OutboundKind(payload["type"])
        dedupe_key = f"{ticket.pk}:{message.pk if message else 0}:{key}:{index}"[:120]
        try:
            with transaction.atomic():
                queued.append(
                    OutboundMessage.objects.create(
                        number=route.number,
                        ticket=ticket,
                        message=message,
                        to=route.to,
                        kind=kind,
                        payload=payload,
                        dedupe_key=dedupe_key,
                    )
                )
        except IntegrityError:
            continue  # queued before: never twice
    ids = [row.pk for row in queued]
    if ids:
        transaction.on_commit(lambda: _send_later(ids))
    return queued


def _send_later(ids: list[int]) -> None:
    """A worker sends them (this process, without a broker). Whatever goes wrong here, the
    reply is saved and the periodic retry (`atiende.whatsapp.deliver_due`) sends them."""
    from atiende.whatsapp.tasks import deliver

    try:
        deliver.delay(ids)
    except Exception:
        logger.exception("whatsapp.dispatch_failed ids=%s; the periodic retry will send them", ids)


# --- sending ---------------------------------------------------------------------------


def claim(ids: Iterable[int]) -> list[int]:
    """Take pending, due messages for this worker (one conditional UPDATE each). A message
    still marked as being sent was taken by a worker that died waiting for Meta's answer:
    it is sent again, unless a status webhook has since told us Meta had it (see
    `record_status`), and the interruption is noted on it."""
    now = timezone.now()
    until = now + datetime.timedelta(seconds=settings.ATIENDE_WHATSAPP_CLAIM_SECONDS)
    due = OutboundMessage.objects.filter(status=OutboundStatus.PENDING, next_attempt_at__lte=now)
    with translation.override(settings.LANGUAGE_CODE):
        note = _("A worker stopped while sending it, before Meta answered: sent again.")
    interrupted = When(sending_since__isnull=False, then=Value(note))
    return [
        pk
        for pk in ids
        if due.filter(pk=pk).update(
            next_attempt_at=until,
            sending_since=now,
            error=Case(interrupted, default=F("error"), output_field=TextField()),
        )
    ]


def deliver_ids(ids: Iterable[int]) -> int:
    sent = 0
    for row in OutboundMessage.objects.filter(pk__in=list(ids)).select_related("number").order_by("pk"):
        sent += deliver(row)
    return sent


def deliver(row: OutboundMessage) -> bool:
    """Send one claimed message; a failure waits (1, 2, 4… minutes) or, when final, is
    recorded on the ticket and falls back to email."""
    try:
        wamid = graph.send(row.number, _request(row))
    except graph.GraphError as error:
        row.attempts += 1
        row.error = str(error)[:2000]
        row.sending_since = None
        if error.permanent or row.attempts >= MAX_ATTEMPTS:
            row.status = OutboundStatus.FAILED
            row.status_at = timezone.now()
            row.save(update_fields=["attempts", "error", "status", "status_at", "sending_since"])
            _failed(row, str(error))
        else:
            row.next_attempt_at = timezone.now() + datetime.timedelta(minutes=2 ** (row.attempts - 1))
            row.save(update_fields=["attempts", "error", "next_attempt_at", "sending_since"])
        return False
    now = timezone.now()
    # Only a pending row: a status webhook may have recorded this very send first.
    OutboundMessage.objects.filter(pk=row.pk, status=OutboundStatus.PENDING).update(
        attempts=F("attempts") + 1,
        wamid=wamid,
        status=OutboundStatus.SENT,
        error="",
        sent_at=now,
        status_at=now,
        sending_since=None,
    )
    return True


def tracker(row: OutboundMessage) -> str:
    """What Meta echoes back in the status webhooks of this send (`biz_opaque_callback_data`):
    the row's id, so a send whose answer was lost is still recognised."""
    return f"{TRACKER_PREFIX}{row.pk}"


def _request(row: OutboundMessage) -> dict[str, Any]:
    payload = dict(row.payload)
    to = row.to.lstrip("+")
    if "attachment" not in payload:
        return {"to": to, "biz_opaque_callback_data": tracker(row), **payload}
    attachment = Attachment.objects.get(pk=payload["attachment"])
    with attachment.file.open("rb") as file:
        data = file.read()
    media_id = graph.upload_media(row.number, attachment.filename, data, attachment.content_type)
    kind = _media_kind(attachment.content_type)
    media: dict[str, Any] = {"id": media_id}
    if kind == "document":
        media["filename"] = attachment.filename
    return {"to": to, "biz_opaque_callback_data": tracker(row), "type": kind, kind: media}


def _media_kind(content_type: str) -> str:
    if content_type in {"image/jpeg", "image/png"}:
        return "image"
    if content_type in {"video/mp4", "video/3gpp"}:
        return "video"
    if content_type in {"audio/ogg", "audio/mpeg", "audio/mp4", "audio/amr", "audio/aac"}:
        return "audio"
    return "document"


# --- what Meta tells us afterwards ------------------------------------------------------


def record_status(update: StatusUpdate, *, number: WhatsAppNumber | None = None) -> int:
    """Sent → delivered → read (never backwards), or failed with Meta's error. A status for a
    wamid we never learnt (the worker died before it read Meta's answer) is matched by the
    tracker we sent with it, on the same number and to the same person."""
    with transaction.atomic():
        row = OutboundMessage.objects.select_for_update().filter(wamid=update.wamid).first()
        if row is None and number is not None:
            row = _tracked_row(update, number)
            if row is None:
                return 0
            row.wamid, row.sending_since, row.error = update.wamid, None, ""
            row.sent_at = row.sent_at or update.at
            row.save(update_fields=["wamid", "sending_since", "error", "sent_at"])
        if row is None:
            return 0
        if update.status == OutboundStatus.FAILED:
            if row.status == OutboundStatus.FAILED:
                return 0
            row.status, row.error, row.status_at = OutboundStatus.FAILED, update.error[:2000], update.at
            row.save(update_fields=["status", "error", "status_at"])
            _failed(row, update.error)
            return 1
        new = OutboundStatus(update.status) if update.status in STATUS_ORDER else None
        if new is None or row.status == OutboundStatus.FAILED:
            return 0
        if STATUS_ORDER[new] <= STATUS_ORDER[OutboundStatus(row.status)]:
            return 0
        row.status, row.status_at = new, update.at
        row.save(update_fields=["status", "status_at"])
        return 1


def _tracked_row(update: StatusUpdate, number: WhatsAppNumber) -> OutboundMessage | None:
    if not update.tracker.startswith(TRACKER_PREFIX) or not update.tracker[len(TRACKER_PREFIX) :].isdigit():
        return None
    row = (
        OutboundMessage.objects.select_for_update()
        .filter(pk=int(update.tracker[len(TRACKER_PREFIX) :]), number=number, wamid="")
        .exclude(status=OutboundStatus.FAILED)
        .first()
    )
    if row is None or row.to.lstrip("+") != update.recipient.lstrip("+"):
        return None
    return row


def _failed(row: OutboundMessage, error: str) -> None:
    """Agents see the failure in the thread; the contact gets the reply by email when they
    had turned email off in favour of WhatsApp (with email on, it went already)."""
    from atiende.whatsapp.actions import record_whatsapp_failure

    ticket = Ticket.objects.select_related("requester__user", "queue").get(pk=row.ticket_id)
    fallback = (
        row.message is not None
        and ticket.requester.notify_by == NotificationChannel.WHATSAPP
        and bool(ticket.requester.user.email)
        and ticket.requester.user.is_active
    )
    if fallback and row.message is not None:
        _email_instead(ticket, row.message, key=f"whatsapp-failed:{row.message_id}")
    record_whatsapp_failure(ticket, to=row.to, error=error, fallback=fallback)


def _email_instead(ticket: Ticket, message: Message, key: str = "") -> None:
    """The reply by email, for a contact who chose WhatsApp only (the usual email was not sent)."""
    from atiende.tickets.notify import portal_link

    contact = ticket.requester
    if contact.notify_by != NotificationChannel.WHATSAPP or not contact.user.is_active:
        return
    enqueue(
        "ticket_reply",
        Recipient(contact.user.email, contact.user.language or settings.LANGUAGE_CODE),
        {"ticket": ticket, "message": message, "link": portal_link(ticket)},
        dedupe_key=(key or f"reply:{message.pk}:{contact.user.email}")[:120],
        ticket_number=ticket.number,
        reply_to=ticket.queue.email_address or settings.ATIENDE_SUPPORT_EMAIL,
        auto_submitted=None,
    )
