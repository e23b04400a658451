"""WhatsApp in: store the signed body first, then file each message on a ticket.

Storing is idempotent (the same body for the same number is kept once). Processing is
idempotent by message: each message's `InboundMessage` row (unique by wamid) is written in
the same transaction as the ticket message it produced, so a body processed twice — a
retry, a worker killed half-way, Meta repeating a delivery — adds nothing twice. A failure
quarantines the body with the reason; retrying files only what is missing.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from atiende.accounts.models import Contact, Organization
from atiende.tickets import access, actions
from atiende.tickets.exceptions import NotAllowed, TicketClosed
from atiende.tickets.models import Channel, Message, StatusKind, Ticket
from atiende.whatsapp import content, outbound, payloads, senders
from atiende.whatsapp.models import (
    DeliveryStatus,
    InboundMessage,
    InboundState,
    WebhookDelivery,
    WhatsAppNumber,
)

logger = logging.getLogger("atiende.whatsapp")
TICKET_REFERENCE = re.compile(r"(?<![\w&])#(\d{1,12})\b")
SUBJECT_CHARACTERS = 80


@dataclass(frozen=True)
class Outcome:
    status: str
    text: str


def store(number: WhatsAppNumber, raw: bytes) -> tuple[WebhookDelivery, bool]:
    """Keep the body; return the record and whether it is new."""
    digest = hashlib.sha256(raw).hexdigest()
    existing = WebhookDelivery.objects.filter(number=number, sha256=digest).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(number=number, raw=raw, sha256=digest)
    except IntegrityError:  # the same body stored meanwhile by another worker
        return WebhookDelivery.objects.get(number=number, sha256=digest), False
    WhatsAppNumber.objects.filter(pk=number.pk).update(last_received_at=delivery.received_at)
    return delivery, True


def process(delivery: WebhookDelivery) -> Outcome:
    """File every message of a stored body and apply its statuses, once."""
    record = WebhookDelivery.objects.select_related("number").get(pk=delivery.pk)
    if record.status != DeliveryStatus.RECEIVED:
        return Outcome(record.status, record.outcome)
    problems: list[str] = []
    filed = held = statuses = 0
    try:
        parsed = payloads.parse(bytes(record.raw))
        if parsed.phone_number_ids - {record.number.phone_number_id}:
            raise payloads.PayloadError("the body names another number's phone_number_id")
    except payloads.PayloadError as error:
        return _finish(record, DeliveryStatus.QUARANTINED, f"quarantined: {error}", str(error))
    with translation.override(settings.LANGUAGE_CODE):
        for incoming in parsed.messages:
            try:
                state = receive(record.number, record, incoming)
            except Exception as error:  # keep going; the body stays for a retry
                logger.warning("WhatsApp message %s not filed: %s", incoming.wamid, error)
                problems.append(f"{incoming.wamid}: {type(error).__name__}: {error}")
                continue
            filed += state == InboundState.FILED
            held += state == InboundState.HELD
        for update in parsed.statuses:
            statuses += outbound.record_status(update, number=record.number)
    summary = f"{filed} filed, {held} held, {statuses} statuses"
    if problems:
        return _finish(record, DeliveryStatus.QUARANTINED, f"quarantined: {problems[0]}", "\n".join(problems))
    return _finish(record, DeliveryStatus.PROCESSED, summary, "")


def process_pending(limit: int = 200) -> int:
    """Bodies stored and never processed (a worker died in between)."""
    pending = WebhookDelivery.objects.filter(status=DeliveryStatus.RECEIVED).order_by("received_at", "pk")
    return sum(process(delivery).status != DeliveryStatus.RECEIVED for delivery in pending[:limit])


def retry(delivery: WebhookDelivery) -> Outcome:
    """Process a quarantined body again (after the cause was fixed)."""
    WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.QUARANTINED).update(
        status=DeliveryStatus.RECEIVED, error=""
    )
    return process(delivery)


def discard(delivery: WebhookDelivery) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.QUARANTINED).update(
        status=DeliveryStatus.DISCARDED, outcome="discarded by an administrator"
    )


def _finish(record: WebhookDelivery, status: str, outcome: str, error: str) -> Outcome:
    record.status, record.outcome, record.error = status, outcome[:300], error[:5000]
    record.processed_at = timezone.now()
    record.save(update_fields=["status", "outcome", "error", "processed_at"])
    return Outcome(status, record.outcome)


# --- one message -----------------------------------------------------------------------


def receive(number: WhatsAppNumber, delivery: WebhookDelivery, incoming: payloads.Incoming) -> str:
    """File one message on its ticket, or hold it when nobody has this number."""
    if InboundMessage.objects.filter(wamid=incoming.wamid).exists():
        return "duplicate"
    phone = senders.e164_of(incoming.sender)
    contact = senders.contact_for(phone)
    record = InboundMessage(
        wamid=incoming.wamid,
        number=number,
        delivery=delivery,
        phone=phone,
        profile_name=incoming.profile_name,
        kind=incoming.kind,
        payload=incoming.payload,
        sent_at=incoming.sent_at,
        state=InboundState.HELD,
    )
    if contact is None:
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            return "duplicate"
        return InboundState.HELD
    return file_message(number, record, contact)


def file_message(number: WhatsAppNumber, record: InboundMessage, contact: Contact) -> str:
    """Post a message on the contact's ticket through the actions, marking it filed in the
    same transaction (a new record, or a held one now identified)."""
    body = content.read(number, record.kind, record.payload)  # media fetched outside the lock
    try:
        with transaction.atomic():
            if record.pk is not None:
                locked = InboundMessage.objects.select_for_update().get(pk=record.pk)
                if locked.state != InboundState.HELD:
                    return "duplicate"
            else:
                # Stored before the ticket changes, so the notices it causes (the received
                # confirmation) see the 24-hour window this message opens.
                record.save()
            message = _post(number, contact, body)
            record.state, record.contact, record.message = InboundState.FILED, contact, message
            record.save()
    except IntegrityError:
        return "duplicate"
    return InboundState.FILED


def _post(number: WhatsAppNumber, contact: Contact, body: content.Content) -> Message:
    user = contact.user
    ticket = _addressed_ticket(contact, body.text) or _current_ticket(contact)
    if ticket is not None:
        try:
            return actions.add_reply(
                user, ticket, channel=Channel.WHATSAPP, text=body.text, attachments=body.uploads
            )
        except TicketClosed:
            pass  # closed meanwhile: a new ticket continues it
    organization = _company_for(number, contact)
    first_line = next((line for line in body.text.splitlines() if line.strip()), "WhatsApp")
    subject = first_line if len(first_line) <= SUBJECT_CHARACTERS else first_line[:SUBJECT_CHARACTERS] + "…"
    opened = actions.open_ticket(
        user,
        channel=Channel.WHATSAPP,
        organization=organization,
        requester=contact,
        queue=number.queue,
        subject=subject,
        text=body.text,
        attachments=body.uploads,
    )
    return opened.messages.order_by("pk")[0]  # open_ticket always posts the first message


def _addressed_ticket(contact: Contact, text: str) -> Ticket | None:
    """`#123` in the text: that ticket, when this contact may write there and it is open."""
    for match in TICKET_REFERENCE.finditer(text):
        ticket = Ticket.objects.filter(number=int(match[1])).select_related("status").first()
        if (
            ticket is not None
            and ticket.status.kind != StatusKind.CLOSED
            and access.can_reply(contact.user, ticket)
        ):
            return ticket
    return None


def _current_ticket(contact: Contact) -> Ticket | None:
    """The contact's WhatsApp ticket still open and active in the last days."""
    since = timezone.now() - datetime.timedelta(days=settings.ATIENDE_WHATSAPP_CONTINUE_DAYS)
    return (
        Ticket.objects.filter(
            requester=contact,
            channel=Channel.WHATSAPP,
            last_activity_at__gte=since,
            organization__is_active=True,
        )
        .exclude(status__kind=StatusKind.CLOSED)
        .order_by("-last_activity_at")
        .first()
    )


def _company_for(number: WhatsAppNumber, contact: Contact) -> Organization:
    companies = list(
        Organization.objects.filter(memberships__contact=contact, is_active=True).order_by(
            "-memberships__is_primary", "name"
        )
    )
    preferred = next((company for company in companies if company.pk == number.default_company_id), None)
    if preferred is not None:
        return preferred
    if not companies:
        raise NotAllowed(f"{contact} belongs to no active company")
    return companies[0]


# --- numbers nobody has yet ------------------------------------------------------------


def release_held(
    phone: str, contact: Contact, served_by: QuerySet[WhatsAppNumber] | None = None
) -> list[int]:
    """An agent said who writes from `phone`: the number becomes the contact's WhatsApp (when
    they have none) and the held messages are filed, oldest first. Returns the tickets."""
    if not contact.whatsapp:
        contact.whatsapp = phone
        contact.save(update_fields=["whatsapp"])
    numbers: list[int] = []
    held = InboundMessage.objects.filter(phone=phone, state=InboundState.HELD).select_related("number")
    if served_by is not None:
        held = held.filter(number__in=served_by)
    with translation.override(settings.LANGUAGE_CODE):
        for record in held.order_by("sent_at", "pk"):
            if file_message(record.number, record, contact) == InboundState.FILED and record.message:
                number = record.message.ticket.number
                if number not in numbers:
                    numbers.append(number)
    return numbers
