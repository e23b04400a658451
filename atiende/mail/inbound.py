"""Mail in: store the raw message first, then turn it into a ticket or a reply.

Storing is idempotent (the Message-ID, or the content hash when there is none), and so
is processing: a stored message is processed once; a failure quarantines it with the
reason, never drops it. Ticket changes go through the same actions as every channel.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from django.db import IntegrityError, transaction
from django.utils import timezone

from atiende.accounts.models import Contact, User
from atiende.errors import DomainError
from atiende.mail.models import InboundEmail, InboundStatus, Mailbox
from atiende.tickets import access, actions
from atiende.tickets.attachments import Upload, validate_uploads
from atiende.tickets.exceptions import TicketClosed
from atiende.tickets.models import Channel, Priority, Queue, Ticket

TICKET_TAG = re.compile(r"\[#(\d{1,12})\]")
# The manual's Covey matrix: 1_, 2_ or 3_ (also "1 -", "2-", "3 ") before the summary.
COVEY_PREFIX = re.compile(r"^\s*([123])\s*[_\-]\s*|^\s*([123])\s+(?=\S)")
AREA_LINE = re.compile(r"^\s*[ÁáAa]rea(?: en la que trabaja)?\s*:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
EXTENSION_LINE = re.compile(
    r"^\s*(?:Extensi[óo]n|Ext\.?)\s*:\s*([\w\-]{1,20})\s*$", re.IGNORECASE | re.MULTILINE
)
REPLY_PREFIX = re.compile(r"^\s*((re|rv|fw|fwd|aw)\s*:\s*)+", re.IGNORECASE)


@dataclass
class Outcome:
    status: str
    text: str
    ticket_number: int | None = None
    subject: str = ""
    requester: str = ""
    priority: str = ""
    attachments: list[str] = field(default_factory=list)


def store(raw: bytes, *, source: str, mailbox: Mailbox | None = None) -> tuple[InboundEmail, bool]:
    """Keep the raw bytes; return the record and whether it is new."""
    message_id = _header(raw, "Message-ID").strip()[:255]
    fingerprint = f"mid:{message_id}" if message_id else f"sha256:{hashlib.sha256(raw).hexdigest()}"
    existing = InboundEmail.objects.filter(fingerprint=fingerprint[:300]).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return (
                InboundEmail.objects.create(
                    raw=raw,
                    source=source,
                    mailbox=mailbox,
                    message_id=message_id,
                    fingerprint=fingerprint[:300],
                    sender=parseaddr(_header(raw, "From"))[1].lower()[:254],
                    size=len(raw),
                ),
                True,
            )
    except IntegrityError:  # the same message stored meanwhile by another worker
        return InboundEmail.objects.get(fingerprint=fingerprint[:300]), False


def process(inbound: InboundEmail, *, queue_slug: str | None = None) -> Outcome:
    """Turn a stored message into a ticket or a reply, once."""
    if inbound.status != InboundStatus.RECEIVED:
        return Outcome(inbound.status, inbound.outcome, inbound.ticket_number)
    try:
        outcome = _route(bytes(inbound.raw), inbound.message_id, queue_slug)
    except Exception as error:  # anything unexpected: keep the message, say why
        outcome = Outcome(InboundStatus.QUARANTINED, f"error: {type(error).__name__}: {error}"[:300])
        inbound.error = f"{type(error).__name__}: {error}"
    inbound.status = outcome.status
    inbound.outcome = outcome.text[:300]
    inbound.ticket_number = outcome.ticket_number
    inbound.processed_at = timezone.now()
    inbound.save(update_fields=["status", "outcome", "error", "ticket_number", "processed_at"])
    return outcome


def retry(inbound: InboundEmail) -> Outcome:
    """Process a quarantined message again (after the cause was fixed)."""
    if inbound.status == InboundStatus.QUARANTINED:
        inbound.status = InboundStatus.RECEIVED
        inbound.error = ""
    queue_slug = inbound.mailbox.queue.slug if inbound.mailbox else None
    return process(inbound, queue_slug=queue_slug)


def discard(inbound: InboundEmail) -> None:
    """Give up on a quarantined message; the raw stays stored."""
    if inbound.status == InboundStatus.QUARANTINED:
        inbound.status = InboundStatus.IGNORED
        inbound.outcome = "discarded by an administrator"
        inbound.save(update_fields=["status", "outcome"])


def _route(raw: bytes, message_id: str, queue_slug: str | None) -> Outcome:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    if not isinstance(message, EmailMessage):
        raise TypeError("the parser did not return an EmailMessage")
    sender = parseaddr(str(message.get("From", "")))[1].lower()
    if _is_automatic(message, sender):
        return Outcome(InboundStatus.IGNORED, "ignored: automatic message (auto-reply or bounce)")
    user = User.objects.filter(email__iexact=sender, is_active=True).first() if sender else None
    if user is None:
        return Outcome(InboundStatus.QUARANTINED, f"quarantined: unknown sender {sender or '(none)'}")
    subject = " ".join(str(message.get("Subject", "")).split())
    text, html = _bodies(message)
    uploads, kept = _uploads(message)
    headers = {"Message-ID": message_id, "From": sender, "Subject": subject}

    tagged = TICKET_TAG.search(subject)
    ticket = Ticket.objects.filter(number=int(tagged[1])).first() if tagged else None
    if ticket is not None and access.can_reply(user, ticket):
        try:
            actions.add_reply(
                user,
                ticket,
                channel=Channel.EMAIL,
                text=text,
                html=html,
                attachments=uploads,
                email_message_id=message_id,
                email_headers=headers,
            )
        except TicketClosed:
            return _open(user, message, subject, text, html, uploads, kept, queue_slug, continues=ticket)
        return Outcome(
            InboundStatus.PROCESSED, f"updated #{ticket.number}", ticket.number, subject, sender, "", kept
        )
    return _open(user, message, subject, text, html, uploads, kept, queue_slug)


def _open(
    user: User,
    message: EmailMessage,
    subject: str,
    text: str,
    html: str,
    uploads: list[Upload],
    kept: list[str],
    queue_slug: str | None,
    continues: Ticket | None = None,
) -> Outcome:
    contact = access.active_contact(user)
    organization = contact.primary_organization if contact else None
    if contact is None or organization is None:
        return Outcome(InboundStatus.QUARANTINED, f"quarantined: {user.email} is not a contact of a company")
    clean_subject = TICKET_TAG.sub("", REPLY_PREFIX.sub("", subject)).strip()
    covey = COVEY_PREFIX.match(clean_subject)
    level = (covey[1] or covey[2]) if covey else None
    priority = Priority.objects.filter(covey=int(level)).first() if level else None
    clean_subject = COVEY_PREFIX.sub("", clean_subject).strip() or "(sin asunto)"
    queue = _queue_for(message, queue_slug)
    if queue is None:
        return Outcome(InboundStatus.QUARANTINED, "quarantined: no queue takes this address")
    _fill_contact_details(contact, text)
    try:
        ticket = actions.open_ticket(
            user,
            channel=Channel.EMAIL,
            organization=organization,
            requester=contact,
            queue=queue,
            subject=clean_subject[:250],
            text=text or clean_subject,
            html=html,
            priority=priority,
            attachments=uploads,
            continues=continues,
        )
    except DomainError as error:
        return Outcome(InboundStatus.QUARANTINED, f"quarantined: {error.message}")
    return Outcome(
        InboundStatus.PROCESSED,
        f"created #{ticket.number}",
        ticket.number,
        ticket.subject,
        user.email,
        str(ticket.priority),
        kept,
    )


def _fill_contact_details(contact: Contact, text: str) -> None:
    """The manual asks for *Área* and *Extensión* lines: they complete the contact's data
    when it is missing, never overwrite it."""
    area = AREA_LINE.search(text)
    extension = EXTENSION_LINE.search(text)
    changed = []
    if area and not contact.area:
        contact.area = area[1][:120]
        changed.append("area")
    if extension and not contact.extension:
        contact.extension = extension[1]
        changed.append("extension")
    if changed:
        contact.save(update_fields=changed)


def _queue_for(message: EmailMessage, queue_slug: str | None) -> Queue | None:
    active = Queue.objects.filter(is_active=True)
    if queue_slug:
        return active.filter(slug=queue_slug).first()
    recipients = [
        address.lower()
        for _name, address in getaddresses(
            [str(value) for name in ("To", "Cc", "Delivered-To") for value in message.get_all(name, [])]
        )
    ]
    by_address = active.filter(email_address__in=recipients).first() if recipients else None
    return by_address or active.order_by("pk").first()


def _bodies(message: EmailMessage) -> tuple[str, str]:
    plain = message.get_body(preferencelist=("plain",))
    rich = message.get_body(preferencelist=("html",))
    text = str(plain.get_content()) if plain is not None else ""
    html = str(rich.get_content()) if rich is not None else ""
    return text.strip(), html


def _uploads(message: EmailMessage) -> tuple[list[Upload], list[str]]:
    """The attachments the product accepts; refused ones stay in the raw message."""
    accepted: list[Upload] = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload:
            continue
        upload = Upload(name=part.get_filename() or "adjunto.dat", content=payload)
        try:
            validate_uploads([*accepted, upload])
        except DomainError:
            continue
        accepted.append(upload)
    return accepted, [upload.name for upload in accepted]


def _is_automatic(message: EmailMessage, sender: str) -> bool:
    auto = str(message.get("Auto-Submitted", "no")).lower()
    precedence = str(message.get("Precedence", "")).lower()
    return (
        auto != "no"
        or precedence in {"bulk", "junk", "auto_reply", "list"}
        or sender.startswith(("mailer-daemon@", "postmaster@"))
        or bool(message.get("X-Autoreply") or message.get("X-Autorespond"))
        or bool(message.get("X-Auto-Response-Suppress"))
        or str(message.get_content_type()) == "multipart/report"
    )


def _header(raw: bytes, name: str) -> str:
    headers = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    return str(headers.get(name, "") or "")
