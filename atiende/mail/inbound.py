"""Mail in: store the raw message first, then turn it into a ticket or a reply.

Storing is idempotent (the Message-ID, or the content hash when there is none), and so
is processing: the stored record is locked while it is processed and its outcome is
written in the same transaction as the ticket change, so a message is processed exactly
once. A failure quarantines it with the reason, never drops it. Ticket changes go
through the same actions as every channel.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import re
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from email.utils import parseaddr

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from atiende.accounts.invitations import create_contact_from_email, create_reader_from_email
from atiende.accounts.models import Contact, Organization, User
from atiende.errors import DomainError
from atiende.kept import Kept
from atiende.mail import replies, senders
from atiende.mail.models import InboundEmail, InboundStatus, Mailbox
from atiende.mail.parse import ParsedEmail, parse
from atiende.outbox.headers import is_ours
from atiende.outbox.message_ids import ticket_number_from
from atiende.outbox.models import OutboundEmail
from atiende.outbox.reply_tokens import base_address
from atiende.tickets import access, actions, urgency, vocabulary
from atiende.tickets.attachments import Upload, validate_uploads
from atiende.tickets.exceptions import TicketClosed
from atiende.tickets.models import Channel, Message, Queue, SenderCheck, Ticket

TICKET_TAG = re.compile(r"\[#(\d{1,12})\]")
AREA_LINE = re.compile(r"^\s*[ÁáAa]rea(?: en la que trabaja)?\s*:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
EXTENSION_LINE = re.compile(
    r"^\s*(?:Extensi[óo]n|Ext\.?)\s*:\s*([\w\-]{1,20})\s*$", re.IGNORECASE | re.MULTILINE
)
REPLY_PREFIX = re.compile(r"^\s*((re|rv|fw|fwd|aw|res|enc)\s*:\s*)+", re.IGNORECASE)


@dataclass
class Outcome:
    status: str
    text: str
    ticket_number: int | None = None
    subject: str = ""
    requester: str = ""
    priority: str = ""
    attachments: list[str] = field(default_factory=list)


class Quarantine(Exception):
    """Stop processing: keep the message for an administrator, with this reason, and
    optionally tell the sender (`answer` runs once the quarantine is recorded)."""

    def __init__(self, reason: str, answer: Callable[[], object] | None = None) -> None:
        super().__init__(reason)
        self.answer = answer


def store(raw: bytes, *, source: str, mailbox: Mailbox | None = None) -> tuple[InboundEmail, bool]:
    """Keep the raw bytes; return the record and whether it is new. Most messages are new:
    the insert comes first, and the unique fingerprint finds one stored before."""
    message_id = _message_id(raw)
    fingerprint = _fingerprint(raw, message_id)[:300]
    record = InboundEmail(
        raw=raw,
        source=source,
        mailbox=mailbox,
        message_id=message_id,
        fingerprint=fingerprint,
        sender=_sender(raw),
        size=len(raw),
    )
    try:
        # Outside a transaction the insert is one statement that commits alone; inside
        # one, a savepoint keeps a refused insert from spoiling it.
        with transaction.atomic() if not transaction.get_autocommit() else nullcontext():
            record.save(force_insert=True)
    except IntegrityError:  # stored before, or meanwhile by another worker
        return InboundEmail.objects.get(fingerprint=fingerprint), False
    return record, True


def process(inbound: InboundEmail, *, queue_slug: str | None = None) -> Outcome:
    """Turn a stored message into a ticket or a reply, once."""
    try:
        with transaction.atomic():
            record = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
            if record.status != InboundStatus.RECEIVED:
                return _outcome_of(record)
            outcome = _route(record, queue_slug)
            _finish(record, outcome)
        _keep_outcome(inbound, record)
        return outcome
    except Exception as error:  # anything unexpected: keep the message, say why
        with transaction.atomic():
            record = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
            if record.status != InboundStatus.RECEIVED:
                return _outcome_of(record)
            record.error = f"{type(error).__name__}: {error}"[:5000]
            reason = str(error) if isinstance(error, Quarantine) else f"error: {record.error}"
            outcome = Outcome(InboundStatus.QUARANTINED, f"quarantined: {reason}"[:300])
            _finish(record, outcome)
            if isinstance(error, Quarantine) and error.answer is not None:
                error.answer()
    inbound.refresh_from_db()
    return outcome


def _keep_outcome(inbound: InboundEmail, record: InboundEmail) -> None:
    """The caller's copy says what the processed record now says."""
    for name in ("status", "outcome", "error", "ticket_number", "processed_at"):
        setattr(inbound, name, getattr(record, name))


def process_pending(limit: int = 500) -> int:
    """Process what was stored but never processed (a worker died in between, or the
    pipe stored and the MTA gave up waiting); returns how many were processed now."""
    done = 0
    pending = InboundEmail.objects.filter(status=InboundStatus.RECEIVED).select_related("mailbox__queue")
    for inbound in pending.order_by("received_at", "pk")[:limit]:
        queue_slug = inbound.mailbox.queue.slug if inbound.mailbox else None
        before = inbound.status
        outcome = process(inbound, queue_slug=queue_slug)
        done += int(outcome.status != before)
    return done


def retry(inbound: InboundEmail) -> Outcome:
    """Process a quarantined message again (after the cause was fixed)."""
    if inbound.status == InboundStatus.QUARANTINED:
        InboundEmail.objects.filter(pk=inbound.pk, status=InboundStatus.QUARANTINED).update(
            status=InboundStatus.RECEIVED, error=""
        )
        inbound.refresh_from_db()
    queue_slug = inbound.mailbox.queue.slug if inbound.mailbox else None
    return process(inbound, queue_slug=queue_slug)


def discard(inbound: InboundEmail) -> None:
    """Give up on a quarantined message; the raw stays stored."""
    if inbound.status == InboundStatus.QUARANTINED:
        inbound.status = InboundStatus.IGNORED
        inbound.outcome = "discarded by an administrator"
        inbound.save(update_fields=["status", "outcome"])


# --- routing ---------------------------------------------------------------------------


def _route(record: InboundEmail, queue_slug: str | None) -> Outcome:
    if record.size > settings.ATIENDE_MAIL_MAX_BYTES:
        raise Quarantine(
            f"message too large ({record.size // 1024} KB; the limit is "
            f"{settings.ATIENDE_MAIL_MAX_BYTES // 1024} KB)"
        )
    mail = parse(bytes(record.raw), loop_header=settings.ATIENDE_LOOP_HEADER)
    if is_ours(mail.loop_marker) or _is_ours(mail.sender):
        return Outcome(InboundStatus.IGNORED, "ignored: sent by this help desk (mail loop)")
    if mail.loop_marker:
        return Outcome(
            InboundStatus.IGNORED, "ignored: sent by this help desk or another one like it (loop header)"
        )
    if mail.bounce is not None:
        return _bounce(mail)
    if mail.automatic:
        reason = getattr(mail, "automatic_reason", "") or "auto-reply or bounce"
        return Outcome(InboundStatus.IGNORED, f"ignored: automatic message ({reason})")
    if not mail.sender or "@" not in mail.sender:
        problem = getattr(mail, "sender_problem", "")
        raise Quarantine(f"no sender address ({problem})" if problem else "no sender address")
    if len(mail.uploads) > settings.ATIENDE_MAIL_MAX_ATTACHMENTS:
        raise Quarantine(
            f"{len(mail.uploads)} attachments (the limit is {settings.ATIENDE_MAIL_MAX_ATTACHMENTS})"
        )
    proof = senders.prove(bytes(record.raw), mail)
    ticket = _thread_ticket(mail, proof)
    user = User.objects.by_email(mail.sender, "agent", "contact")
    if user is not None and not user.is_active:
        raise Quarantine(f"the account of {mail.sender} is deactivated")
    if user is not None and access.active_agent(user) is not None:
        return _from_engineer(user, ticket, mail, proof, queue_slug)
    if ticket is not None and user is None and ticket.cc.filter(email__iexact=mail.sender).exists():
        user = create_reader_from_email(mail.sender, mail.sender_name)  # copied: no portal
    if ticket is not None and user is not None and access.can_reply(user, ticket):
        return _reply(user, ticket, mail, proof, queue_slug)
    if not proof.verified and settings.ATIENDE_MAIL_UNVERIFIED_NEW_TICKETS == "quarantine":
        raise Quarantine(
            f"unverified sender {mail.sender} ({proof.detail}); new tickets from unverified senders "
            "are quarantined (ATIENDE_MAIL_UNVERIFIED_NEW_TICKETS)"
        )
    return _open(user or _new_contact(mail, proof), mail, proof, queue_slug)


def _from_engineer(
    user: User, ticket: Ticket | None, mail: ParsedEmail, proof: senders.Proof, queue_slug: str | None
) -> Outcome:
    """Mail that claims an engineer's address speaks for them only when it proves it."""
    if not proof.verified:
        raise Quarantine(
            f"{user.email} is an engineer's address, but nothing proves this message comes from them "
            f"({proof.detail}); it was not posted"
        )
    if ticket is None or not access.can_reply(user, ticket):
        raise Quarantine(f"{user.email} is an engineer and the message names no ticket of theirs")
    return _reply(user, ticket, mail, proof, queue_slug)


def _new_contact(mail: ParsedEmail, proof: senders.Proof) -> User:
    """A new contact of the company that owns the sender's domain (or the catch-all
    company). Otherwise the sender is told how to reach us — when we know the message
    really comes from them."""
    organization = _organization_for(mail.sender)
    if organization is None:
        raise Quarantine(
            f"unknown sender {mail.sender}: no company uses the domain",
            answer=(lambda: replies.unknown_sender(mail)) if proof.verified else None,
        )
    return create_contact_from_email(mail.sender, mail.sender_name, organization).user


def _organization_for(email: str) -> Organization | None:
    domain = email.rsplit("@", 1)[-1].lower()
    candidates = Organization.objects.filter(is_active=True, email_domains__icontains=domain)
    owner = next((org for org in candidates if domain in org.domain_list()), None)
    if owner is not None:
        return owner
    if settings.ATIENDE_MAIL_UNKNOWN_SENDERS == "catch-all" and settings.ATIENDE_MAIL_CATCH_ALL_COMPANY:
        return Organization.objects.filter(
            name=settings.ATIENDE_MAIL_CATCH_ALL_COMPANY, is_active=True
        ).first()
    return None


def _thread_ticket(mail: ParsedEmail, proof: senders.Proof) -> Ticket | None:
    """The ticket this message answers: the one its sender's reply token was issued for,
    one of our signed Message-IDs in In-Reply-To or References, a message we received or
    sent on a ticket, or the subject's [#N] tag."""
    if proof.ticket_number is not None:
        return Ticket.objects.filter(number=proof.ticket_number).first()
    for message_id in mail.thread_ids:
        number = ticket_number_from(message_id)
        if number is not None:
            return Ticket.objects.filter(number=number).first()
    if mail.thread_ids:
        known = Message.objects.filter(email_message_id__in=mail.thread_ids).select_related("ticket").first()
        if known is not None:
            return known.ticket
        sent = OutboundEmail.objects.filter(
            message_id__in=mail.thread_ids, ticket_number__isnull=False
        ).first()
        if sent is not None and sent.ticket_number is not None:
            return Ticket.objects.filter(number=sent.ticket_number).first()
    tagged = TICKET_TAG.search(mail.subject)
    return Ticket.objects.filter(number=int(tagged[1])).first() if tagged else None


def _reply(
    user: User, ticket: Ticket, mail: ParsedEmail, proof: senders.Proof, queue_slug: str | None
) -> Outcome:
    """A reply on the thread; an unverified sender's is held for an engineer."""
    uploads, kept = _uploads(mail)
    try:
        with transaction.atomic():
            actions.add_reply(
                user,
                ticket,
                channel=Channel.EMAIL,
                text=mail.reply_text or mail.text,
                html="" if mail.folded else mail.html,
                attachments=uploads,
                email_message_id=mail.message_id,
                email_headers=mail.headers,
                sender_check=proof.check if proof.verified else SenderCheck.HELD,
            )
    except TicketClosed:
        if access.active_agent(user) is not None:
            raise Quarantine(f"#{ticket.number} is closed; an engineer's email cannot reopen it") from None
        if not proof.verified and settings.ATIENDE_MAIL_UNVERIFIED_NEW_TICKETS == "quarantine":
            raise Quarantine(
                f"#{ticket.number} is closed and {mail.sender} is unverified ({proof.detail})"
            ) from None
        outcome = _open(user, mail, proof, queue_slug, continues=ticket)
        if proof.verified:
            replies.closed_ticket(mail, ticket, outcome.ticket_number)
        return outcome
    _fill_contact_details(user, mail.text)
    held = "" if proof.verified else f" (held: unverified sender, {proof.detail})"
    return Outcome(
        InboundStatus.PROCESSED,
        f"updated #{ticket.number}{held}"[:300],
        ticket.number,
        ticket.subject,
        user.email,
        str(ticket.priority),
        kept,
    )


def _open(
    user: User,
    mail: ParsedEmail,
    proof: senders.Proof,
    queue_slug: str | None,
    continues: Ticket | None = None,
) -> Outcome:
    contact = access.active_contact(user)
    organization = contact.primary_organization if contact else None
    if contact is None or organization is None:
        raise Quarantine(f"{user.email} is not a contact of a company")
    _check_ticket_rate(user)
    clean_subject = TICKET_TAG.sub("", REPLY_PREFIX.sub("", mail.subject)).strip()
    # The same Covey rule as every channel; mail also fills in a missing subject.
    level, clean_subject = urgency.split_subject(clean_subject)
    clean_subject = clean_subject or "(sin asunto)"
    queue = _queue_for(mail, queue_slug)
    if queue is None:
        raise Quarantine("no queue takes this address")
    uploads, kept = _uploads(mail)
    _fill_contact_details(user, mail.text)
    try:
        ticket = actions.open_ticket(
            user,
            channel=Channel.EMAIL,
            organization=organization,
            requester=contact,
            queue=queue,
            subject=clean_subject[:250],
            text=(mail.reply_text if continues else mail.text) or clean_subject,
            html="" if continues and mail.folded else mail.html,
            priority=urgency.priority_for(level),
            attachments=uploads,
            continues=continues,
            email_message_id=mail.message_id,
            email_headers=mail.headers,
            sender_check=proof.check,
        )
    except DomainError as error:
        raise Quarantine(error.message) from error
    return Outcome(
        InboundStatus.PROCESSED,
        f"created #{ticket.number}",
        ticket.number,
        ticket.subject,
        user.email,
        str(ticket.priority),
        kept,
    )


def _bounce(mail: ParsedEmail) -> Outcome:
    """A bounce of a notice we sent is kept on its ticket; any other is only stored."""
    bounce = mail.bounce
    if bounce is None:
        return Outcome(InboundStatus.IGNORED, "ignored: bounce")
    for message_id in bounce.original_message_ids:
        number = ticket_number_from(message_id)
        if number is None:
            sent = OutboundEmail.objects.filter(message_id=message_id).first()
            number = sent.ticket_number if sent else None
        ticket = Ticket.objects.filter(number=number).first() if number is not None else None
        if ticket is not None:
            actions.record_delivery_failure(
                ticket, recipients=bounce.recipients, diagnostic=bounce.diagnostic
            )
            return Outcome(InboundStatus.PROCESSED, f"bounce recorded on #{ticket.number}", ticket.number)
    return Outcome(InboundStatus.IGNORED, "ignored: bounce of no ticket's email")


def _check_ticket_rate(user: User) -> None:
    limit = settings.ATIENDE_MAIL_TICKETS_PER_DAY
    since = timezone.now() - datetime.timedelta(days=1)
    opened = Ticket.objects.filter(created_by=user, channel=Channel.EMAIL, created_at__gte=since).count()
    if opened >= limit:
        raise Quarantine(
            f"{user.email} opened {opened} tickets by email in the last 24 hours (limit {limit})"
        )


def _fill_contact_details(user: User, text: str) -> None:
    """The manual asks for *Área* and *Extensión* lines: they complete the contact's data
    when it is missing, never overwrite it."""
    contact: Contact | None = user.contact_or_none
    if contact is None:
        return
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


def _queue_for(mail: ParsedEmail, queue_slug: str | None) -> Queue | None:
    """The mailbox's queue, else the queue whose address the mail was sent to, else the
    first queue; from the kept vocabulary."""
    active = sorted((q for q in vocabulary.kept.load().queue.values() if q.is_active), key=lambda q: q.pk)
    if queue_slug:
        found = next((queue for queue in active if queue.slug == queue_slug), None)
    else:
        addresses = {base_address(address) for address in mail.recipients}
        by_name = sorted(active, key=lambda queue: (queue.name, queue.pk))
        found = next((queue for queue in by_name if queue.email_address in addresses), None)
        found = found or next(iter(active), None)
    return copy.copy(found) if found is not None else None


def _uploads(mail: ParsedEmail) -> tuple[list[Upload], list[str]]:
    """The attachments the product accepts; refused ones stay in the raw message."""
    accepted: list[Upload] = []
    for upload in (replace(upload, as_sent=True) for upload in mail.uploads):
        try:
            validate_uploads([*accepted, upload])
        except DomainError:
            continue
        accepted.append(upload)
    return accepted, [upload.name for upload in accepted]


def _is_ours(sender: str) -> bool:
    """One of our own addresses: the sender, the support address, a queue's or a
    mailbox's."""
    if sender in {parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower(), settings.ATIENDE_SUPPORT_EMAIL.lower()}:
        return True
    if "@" not in sender:
        return False
    return sender.lower() in _our_addresses.load()


def _read_our_addresses() -> frozenset[str]:
    queues = Queue.objects.exclude(email_address="").values_list("email_address", flat=True)
    mailboxes = Mailbox.objects.values_list("username", flat=True)
    return frozenset(address.lower() for address in [*queues, *mailboxes])


# The queues' and mailboxes' addresses, kept per process: every message asks.
_our_addresses = Kept("our-addresses", _read_our_addresses)


def watch() -> None:
    _our_addresses.watch((Queue, Mailbox))


# --- the stored record -----------------------------------------------------------------


def _finish(record: InboundEmail, outcome: Outcome) -> None:
    record.status = outcome.status
    record.outcome = outcome.text.replace("\x00", "")[:300]
    record.error = record.error.replace("\x00", "")
    record.ticket_number = outcome.ticket_number
    record.processed_at = timezone.now()
    record.save(update_fields=["status", "outcome", "error", "ticket_number", "processed_at"])


def _outcome_of(record: InboundEmail) -> Outcome:
    return Outcome(record.status, record.outcome, record.ticket_number)


def _fingerprint(raw: bytes, message_id: str) -> str:
    """What makes two deliveries the same message: the same Message-ID from the same sender
    with the same content (the body, whatever line ends the route gave it). Broken mailers
    reuse one Message-ID for different messages, and anybody can send theirs first with
    someone else's: neither may make a real message a "duplicate". Without a Message-ID,
    the whole raw message."""
    if not message_id:
        return f"sha256:{hashlib.sha256(raw).hexdigest()}"
    normalised = raw.replace(b"\r\n", b"\n")
    body = normalised.split(b"\n\n", 1)[1] if b"\n\n" in normalised else b""
    identity = b"\0".join([message_id.encode("utf-8", "replace"), _sender(raw).encode(), body])
    return f"mid:{hashlib.sha256(identity).hexdigest()}"


def _message_id(raw: bytes) -> str:
    return _headers_of(raw).get("message-id", "").replace("\x00", "").strip()[:255]


def _sender(raw: bytes) -> str:
    return parseaddr(_headers_of(raw).get("from", "").replace("\x00", ""))[1].lower()[:254]


def _headers_of(raw: bytes) -> dict[str, str]:
    """The top header block, read leniently: storing must work for any bytes at all."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0].decode("latin-1")
    headers: dict[str, str] = {}
    name = ""
    for line in head.splitlines():
        if line[:1] in {" ", "\t"} and name:
            headers[name] += " " + line.strip()
        elif ":" in line:
            name, value = line.split(":", 1)
            name = name.strip().lower()
            headers.setdefault(name, value.strip())
            if headers[name] != value.strip():
                name = ""  # a repeated header: keep the first
    return headers
