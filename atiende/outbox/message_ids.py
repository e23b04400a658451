"""Our Message-IDs carry the ticket number and a signature, so a reply finds its ticket
by In-Reply-To/References even when the subject was changed, and nobody can forge one to
write into another company's ticket."""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid

from django.conf import settings

_OURS = re.compile(
    r"<?atiende\.(?P<nonce>[0-9a-f]{32})\.t(?P<number>\d{1,12})\.(?P<sig>[0-9a-f]{16})"
    r"(?:\.r(?P<rsig>[0-9a-f]{16}))?@"
)
_ANY_ID = re.compile(r"<[^<>\s]+>")


def _domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "atiende.local"


def _signature(nonce: str, number: int) -> str:
    key = f"atiende-message-id:{settings.SECRET_KEY}".encode()
    return hmac.new(key, f"{nonce}.{number}".encode(), hashlib.sha256).hexdigest()[:16]


def _recipient_signature(nonce: str, number: int, recipient: str) -> str:
    key = f"atiende-message-id-recipient:{settings.SECRET_KEY}".encode()
    message = f"{nonce}.{number}.{recipient.strip().lower()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


def new_message_id(ticket_number: int | None = None, recipient: str = "") -> str:
    """A fresh Message-ID; with a ticket number it is one a reply can be traced back by,
    and with a recipient it also proves, in their reply's In-Reply-To or References, that
    the reply comes from them (see `reply_tokens`)."""
    nonce = uuid.uuid4().hex
    if ticket_number is None:
        return f"<{nonce}@{_domain()}>"
    signed = f"atiende.{nonce}.t{ticket_number}.{_signature(nonce, ticket_number)}"
    if recipient:
        signed += f".r{_recipient_signature(nonce, ticket_number, recipient)}"
    return f"<{signed}@{_domain()}>"


def ticket_root_id(ticket_number: int) -> str:
    """The Message-ID every email of a ticket refers to when the ticket did not come by
    email: the same for every call (so it needs no storage), signed like the others (so a
    reply that keeps only this one in References still finds its ticket)."""
    key = f"atiende-ticket-root:{settings.SECRET_KEY}".encode()
    nonce = hmac.new(key, str(ticket_number).encode(), hashlib.sha256).hexdigest()[:32]
    return f"<atiende.{nonce}.t{ticket_number}.{_signature(nonce, ticket_number)}@{_domain()}>"


def ticket_number_from(message_id: str) -> int | None:
    """The ticket number of one of our Message-IDs whose signature holds; else None."""
    found = _OURS.search(message_id or "")
    if found is None:
        return None
    number = int(found["number"])
    if not hmac.compare_digest(found["sig"], _signature(found["nonce"], number)):
        return None
    return number


def verified_ticket(message_ids: list[str], sender: str) -> int | None:
    """The ticket of one of our Message-IDs that was sent to `sender`; else None."""
    for message_id in message_ids:
        found = _OURS.search(message_id or "")
        if found is None or not found["rsig"] or ticket_number_from(message_id) is None:
            continue
        number = int(found["number"])
        expected = _recipient_signature(found["nonce"], number, sender)
        if hmac.compare_digest(found["rsig"], expected):
            return number
    return None


def message_ids_in(header_value: str) -> list[str]:
    """The valid Message-IDs listed in an In-Reply-To or References header, in order: each
    `<left@right>` of printable ASCII without spaces, controls or other angle brackets, at
    most 250 characters. Anything else is dropped, so it never reaches a header we send."""
    return [
        found
        for found in _ANY_ID.findall(header_value or "")
        if len(found) <= 250 and re.fullmatch(r"<[!-;=?A-~]+@[!-;=?A-~]+>", found)
    ]
