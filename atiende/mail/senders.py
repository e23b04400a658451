"""Who really sent a message: what proves the From address, if anything.

Three proofs, strongest first (docs/security.md, "Mail authentication"):
1. a reply token: a signed reply address or Message-ID of ours that was issued to this
   very address, for one ticket (`outbox.reply_tokens`, `outbox.message_ids`);
2. the operator's mail server: its Authentication-Results (DMARC, DKIM or SPF aligned with
   the From domain), believed only from a trusted authserv-id;
3. a DKIM signature checked here, when enabled.
Anything else is unverified: it never speaks for an engineer, and a contact's reply is
held until an engineer accepts it.
"""

from __future__ import annotations

from dataclasses import dataclass

from atiende.mail.authentication import verify_sender
from atiende.mail.parse import ParsedEmail
from atiende.outbox import message_ids, reply_tokens
from atiende.tickets.models import SenderCheck

VERIFIED = frozenset({SenderCheck.REPLY_TOKEN, SenderCheck.MAIL_SERVER, SenderCheck.DKIM})


@dataclass(frozen=True)
class Proof:
    check: SenderCheck
    detail: str
    ticket_number: int | None = None  # the ticket a reply token was issued for

    @property
    def verified(self) -> bool:
        return self.check in VERIFIED


def prove(raw: bytes, mail: ParsedEmail) -> Proof:
    """How (and whether) this message proves it comes from `mail.sender`."""
    number = reply_tokens.verified_ticket(mail.sender, mail.recipients)
    if number is None:
        number = message_ids.verified_ticket(mail.thread_ids, mail.sender)
    if number is not None:
        return Proof(SenderCheck.REPLY_TOKEN, f"reply token for #{number}", number)
    verdict = verify_sender(raw, mail.sender)
    if verdict.verified:
        check = SenderCheck.DKIM if verdict.method == "dkim-local" else SenderCheck.MAIL_SERVER
        return Proof(check, verdict.detail)
    return Proof(SenderCheck.UNVERIFIED, verdict.detail or "no reply token and no passing mail server result")
