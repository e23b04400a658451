"""The headers that make mail clients thread a ticket's mail, send replies to the right
address, and keep auto-responders and our own inbound mail from looping.

See "Outbound email headers" in docs/architecture.md.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
from typing import TYPE_CHECKING

from django.conf import settings

from atiende.outbox.message_ids import ticket_root_id

if TYPE_CHECKING:
    from atiende.outbox.models import OutboundEmail

# RFC 3834: an answer to a message that arrived, or mail a program sent on its own.
AUTO_REPLIED = "auto-replied"
AUTO_GENERATED = "auto-generated"
# References lists the ticket's root and at most this many of its latest emails after it.
MAX_REFERENCES = 10
# How many of a ticket's latest outgoing rows are looked through for one recipient's chain.
_OUTBOUND_LOOKBACK = 200


# A msg-id as RFC 5322 allows it, without the obsolete forms: what we accept to repeat.
_VALID_ID = re.compile(r"<[!#-'*+\-/-9=?A-Z^-~.]{1,200}@[!#-'*+\-/-9=?A-Z^-~.\[\]]{1,200}>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ID_HEADERS = frozenset({"message-id", "in-reply-to", "references"})


def is_valid_message_id(value: str) -> bool:
    return len(value) <= 250 and _VALID_ID.fullmatch(value) is not None


def safe_headers(headers: dict[str, str]) -> dict[str, str]:
    """Headers that cannot break a message or inject another header: control characters
    become spaces, and Message-ID lists keep only well-formed ids (one bad id received
    from someone must never stop a ticket's later mail). Empty values are dropped."""
    safe: dict[str, str] = {}
    for name, value in headers.items():
        if _CONTROL.search(name) or ":" in name or not name.strip():
            continue
        clean = " ".join(_CONTROL.sub(" ", str(value)).split())
        if name.lower() in _ID_HEADERS:
            clean = " ".join(part for part in clean.split() if is_valid_message_id(part))
        if clean:
            safe[name] = clean
    return safe


def loop_token() -> str:
    """The value of our loop header: the same on every email of this installation, and
    different from any other installation's (it derives from SECRET_KEY, never shows it)."""
    key = f"atiende-loop:{settings.SECRET_KEY}".encode()
    return "atiende-" + hmac.new(key, b"loop", hashlib.sha256).hexdigest()[:16]


def is_ours(loop_header_value: str) -> bool:
    """Whether a message carrying our loop header with this value was sent by us."""
    return hmac.compare_digest((loop_header_value or "").strip(), loop_token())


def fixed_headers(*, reply_to: str, auto_submitted: str | None) -> dict[str, str]:
    """What every email carries whatever it is about. `auto_submitted` is None for mail a
    person wrote (an engineer's reply), so the reader's systems treat it as human mail."""
    headers = {
        "Reply-To": reply_to or settings.ATIENDE_SUPPORT_EMAIL,
        # Exchange/Outlook: no out-of-office, read or delivery receipts back to us.
        "X-Auto-Response-Suppress": "All",
        settings.ATIENDE_LOOP_HEADER: loop_token(),
    }
    if auto_submitted:
        headers["Auto-Submitted"] = auto_submitted
    return headers


def threading_headers(email: OutboundEmail) -> dict[str, str]:
    """`References` and `In-Reply-To` for an email about a ticket, worked out from what the
    ticket held when the email was queued: the ticket's root (the email that opened it,
    else a root derived from its number), then the latest emails of the ticket this
    recipient saw (theirs and everyone's inbound mail, and our earlier mail to them), oldest
    first. In-Reply-To is the latest of those: the inbound message being answered, or our
    previous email."""
    from atiende.outbox.models import EmailStatus, OutboundEmail
    from atiende.tickets.models import Message, Ticket

    number = email.ticket_number
    if number is None:
        return {}
    ticket = Ticket.objects.filter(number=number).only("pk").first()
    opening_id = ""
    chain: list[tuple[datetime.datetime, int, str]] = []  # (when, inbound before outbound at a tie, id)
    if ticket is not None:
        inbound = (
            Message.objects.filter(ticket=ticket, created_at__lte=email.created_at)
            .exclude(email_message_id="")
            .order_by("created_at", "pk")
            .values_list("created_at", "email_message_id")
        )
        first = Message.objects.filter(ticket=ticket).order_by("created_at", "pk").first()
        opening_id = first.email_message_id if first is not None else ""
        opening_id = opening_id if is_valid_message_id(opening_id) else ""
        chain += [(when, 0, message_id) for when, message_id in inbound if is_valid_message_id(message_id)]
    recipients = {address.lower() for address in email.to}
    earlier = (
        OutboundEmail.objects.filter(ticket_number=number, pk__lt=email.pk)
        .exclude(status=EmailStatus.FAILED)
        .order_by("-pk")
        .values_list("created_at", "message_id", "to")[:_OUTBOUND_LOOKBACK]
    )
    chain += [
        (when, 1, message_id)
        for when, message_id, to in earlier
        if recipients & {address.lower() for address in to}
    ]
    chain.sort(key=lambda item: (item[0], item[1]))
    root = opening_id or ticket_root_id(number)
    ids: list[str] = []
    for _when, _order, message_id in chain:
        if message_id != root and message_id not in ids:
            ids.append(message_id)
    ids = ids[-MAX_REFERENCES:]
    headers = {"References": " ".join([root, *ids])}
    parent = ids[-1] if ids else opening_id
    if parent:
        headers["In-Reply-To"] = parent
    return headers
