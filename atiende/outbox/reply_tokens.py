"""Signed reply addresses: proof that a reply comes from someone we wrote to.

Every notice about a ticket goes to one recipient and carries, in its Reply-To, the
support address with a token bound to that ticket and that recipient
(`soporte+t195-3f9a…@provider.com`). Its Message-ID carries the same kind of signature
(see `message_ids`). A reply whose sender holds a valid token for the ticket it answers
was sent by someone who received our notice: the sender is verified. Anybody else —
another address, another ticket, a token edited by hand — proves nothing.

A token is a capability: whoever the recipient forwards our notice to can reply as them
on that ticket, as with every help desk's reply-by-email. It never opens another ticket.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

from django.conf import settings

_SIGNATURE_LENGTH = 20  # hex characters: 80 bits
_TOKEN = re.compile(rf"t(?P<number>\d{{1,12}})-(?P<sig>[0-9a-f]{{{_SIGNATURE_LENGTH}}})")


def _key(purpose: str) -> bytes:
    return f"atiende-{purpose}:{settings.SECRET_KEY}".encode()


def signature(ticket_number: int, email: str, *, length: int = _SIGNATURE_LENGTH) -> str:
    """The HMAC that binds one recipient's address to one ticket."""
    message = f"{ticket_number}:{email.strip().lower()}".encode()
    return hmac.new(_key("reply-token"), message, hashlib.sha256).hexdigest()[:length]


def token(ticket_number: int, email: str) -> str:
    return f"t{ticket_number}-{signature(ticket_number, email)}"


def reply_address(base: str, ticket_number: int, email: str) -> str:
    """`base` with the recipient's token after the separator of the local part
    (`soporte@x` → `soporte+t12-…@x`). `base` unchanged when tokens are off or it is not
    a plain address."""
    separator = settings.ATIENDE_MAIL_REPLY_TOKEN_SEPARATOR
    if not settings.ATIENDE_MAIL_REPLY_TOKENS or "@" not in base or not separator:
        return base
    local, domain = base.rsplit("@", 1)
    local = local.split(separator, 1)[0]
    return f"{local}{separator}{token(ticket_number, email)}@{domain}"


def base_address(address: str) -> str:
    """An address without our token (`soporte+t12-…@x` → `soporte@x`), for matching a
    queue's address; other plus-addresses are left as they are."""
    separator = settings.ATIENDE_MAIL_REPLY_TOKEN_SEPARATOR
    if "@" not in address or not separator:
        return address
    local, domain = address.rsplit("@", 1)
    head, _sep, tail = local.partition(separator)
    return f"{head}@{domain}" if _sep and _TOKEN.fullmatch(tail.lower()) else address


def tokens_in(addresses: Iterable[str]) -> list[tuple[int, str]]:
    """The (ticket number, signature) pairs found in these recipient addresses."""
    separator = settings.ATIENDE_MAIL_REPLY_TOKEN_SEPARATOR
    found = []
    for address in addresses:
        if "@" not in address or not separator:
            continue
        local = address.rsplit("@", 1)[0]
        _head, _sep, tail = local.partition(separator)
        match = _TOKEN.fullmatch(tail.lower()) if _sep else None
        if match is not None:
            found.append((int(match["number"]), match["sig"]))
    return found


def verified_ticket(sender: str, addresses: Iterable[str]) -> int | None:
    """The ticket number of a reply address that was issued to `sender`; else None."""
    for number, sig in tokens_in(addresses):
        if hmac.compare_digest(sig, signature(number, sender)):
            return number
    return None
