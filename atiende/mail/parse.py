"""Reading real-world mail: any charset (declared wrongly or not at all), broken MIME,
HTML-only bodies, inline images, forwarded messages, TNEF, calendar invites and bounces.

`parse(raw)` never raises for a message's content; what it cannot make sense of it keeps
as an attachment or leaves in the raw message, which is always stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from charset_normalizer import from_bytes
from mailparser_reply import EmailReplyParser  # type: ignore[import-untyped]

from atiende.outbox.message_ids import message_ids_in
from atiende.tickets.attachments import Upload
from atiende.tickets.html import html_to_text

AUTOMATIC_PRECEDENCE = frozenset({"bulk", "junk", "auto_reply", "list"})
BOUNCE_SENDERS = ("mailer-daemon@", "postmaster@")

# Lines that introduce the quoted earlier message, in the clients our users have.
_QUOTE_HEADER = re.compile(
    r"^[ \t]*(?:"
    r"(?:El|En)\s[^\n]{4,200}?(?:\n[^\n]{0,120}?)?escribi[óo]\s*:"  # Gmail, Apple, Yahoo (es)
    r"|On\s[^\n]{4,200}?(?:\n[^\n]{0,120}?)?wrote\s*:"
    r"|-{2,}\s*(?:Mensaje original|Original Message|Mensaje reenviado|Forwarded message)\s*-{2,}"
    r"|_{10,}"
    r")[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# What phones and apps add under a reply.
_SENT_FROM = re.compile(
    r"^[ \t]*(?:Obtener Outlook para|Get Outlook for|Enviado desde (?:mi|Correo para)|Sent from (?:my|Mail for))\b.*$",
    re.IGNORECASE | re.MULTILINE,
)
_REPLY_PARSER = EmailReplyParser(languages=["es", "en"])


@dataclass
class Bounce:
    """What a delivery status notification says about a message we sent."""

    original_message_ids: list[str]
    recipients: list[str]
    diagnostic: str


@dataclass
class ParsedEmail:
    sender: str
    sender_name: str
    subject: str
    message_id: str
    recipients: list[str]
    thread_ids: list[str]  # In-Reply-To first, then References newest first
    text: str  # the whole plain text
    html: str  # the HTML as received (sanitized later, when stored)
    reply_text: str  # the text without quoted earlier messages and signature
    uploads: list[Upload] = field(default_factory=list)
    automatic: bool = False
    bulk: bool = False  # mailing-list or newsletter mail: never answered automatically
    bounce: Bounce | None = None
    headers: dict[str, str] = field(default_factory=dict)
    loop_marker: str = ""

    @property
    def folded(self) -> bool:
        return self.reply_text.strip() != self.text.strip()


def parse(raw: bytes, *, loop_header: str = "X-Atiende-Loop") -> ParsedEmail:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    sender_name, sender = parseaddr(_header(message, "From"))
    sender = sender.strip().lower()
    subject = " ".join(_header(message, "Subject").split())
    text, html, uploads = _content(message)
    if not text and html:
        text = html_to_text(html)
    thread_ids = message_ids_in(_header(message, "In-Reply-To"))
    thread_ids += [
        mid for mid in reversed(message_ids_in(_header(message, "References"))) if mid not in thread_ids
    ]
    parsed = ParsedEmail(
        sender=sender,
        sender_name=sender_name.strip(),
        subject=subject,
        message_id=_header(message, "Message-ID").strip()[:255],
        recipients=_recipients(message),
        thread_ids=thread_ids,
        text=text.strip(),
        html=html,
        reply_text=fold_quotes(text),
        uploads=uploads,
        headers={
            name: value[:500]
            for name in ("Message-ID", "From", "To", "Cc", "Subject", "Date", "In-Reply-To")
            if (value := _header(message, name))
        },
        loop_marker=_header(message, loop_header),
    )
    _without_nul(parsed)
    parsed.bounce = _bounce(message, sender)
    parsed.automatic = parsed.bounce is not None or _is_automatic(message, sender)
    parsed.bulk = any(_header(message, name) for name in ("List-Id", "List-Unsubscribe", "Feedback-ID"))
    return parsed


def _without_nul(parsed: ParsedEmail) -> None:
    """NUL characters mean nothing in mail and PostgreSQL refuses them in text columns."""
    for name in (
        "sender",
        "sender_name",
        "subject",
        "message_id",
        "text",
        "html",
        "reply_text",
        "loop_marker",
    ):
        setattr(parsed, name, getattr(parsed, name).replace("\x00", ""))
    parsed.recipients = [address.replace("\x00", "") for address in parsed.recipients]
    parsed.thread_ids = [value.replace("\x00", "") for value in parsed.thread_ids]
    parsed.headers = {name: value.replace("\x00", "") for name, value in parsed.headers.items()}


def fold_quotes(text: str) -> str:
    """The new part of a reply: without the quoted earlier message and the signature."""
    cut = _QUOTE_HEADER.search(text)
    head = text[: cut.start()] if cut else text
    signed = _SENT_FROM.search(head)
    head = head[: signed.start()] if signed else head
    lines = head.rstrip().splitlines()
    while lines and (lines[-1].startswith(">") or not lines[-1].strip()):
        lines.pop()  # a quote at the bottom (top-posting without a header line)
    head = "\n".join(lines)
    try:
        replies = _REPLY_PARSER.read(head).replies
        folded = replies[0].body if replies else head
    except Exception:  # a reply-parser failure must never lose the text
        folded = head
    return (folded or head or text).strip()


# --- headers ---------------------------------------------------------------------------


def _header(message: Message, name: str) -> str:
    """A header as text, even when its encoded words or charset are wrong or missing."""
    raw = next((str(value) for key, value in message.raw_items() if key.lower() == name.lower()), None)
    if raw is None:
        return ""
    try:
        value = str(message.get(name))
    except Exception:
        value = "\ufffd"
    if "\ufffd" not in value and not _UNTERMINATED_WORD.search(value):
        return value
    return _lenient_header(raw)


_UNTERMINATED_WORD = re.compile(r"=\?[\w.-]+\?[QqBb]\?[^?\s]*$")


def _lenient_header(raw: str) -> str:
    """Decode a header as mail clients do: 8-bit bytes and encoded words in unknown
    charsets read as UTF-8 or Windows-1252, an encoded word missing its `?=` closed."""
    raw = " ".join(raw.split())
    if _UNTERMINATED_WORD.search(raw):
        raw += "?="
    try:
        parts = decode_header(raw)
    except Exception:
        return _decode_bytes(raw.encode("utf-8", "surrogateescape"))
    words = []
    for content, charset in parts:
        if isinstance(content, str):  # 8-bit bytes arrive as surrogate escapes
            words.append(_decode_bytes(content.encode("utf-8", "surrogateescape")))
            continue
        try:
            words.append(content.decode(charset or "ascii"))
        except (LookupError, UnicodeDecodeError):
            words.append(
                _decode_bytes(content.decode("ascii", "surrogateescape").encode("utf-8", "surrogateescape"))
            )
    return "".join(words) if len(parts) > 1 else words[0] if words else ""


def _decode_bytes(data: bytes) -> str:
    """Text of unknown charset: UTF-8, else Windows-1252 (our users write Spanish), else
    whatever charset-normalizer detects, else Latin-1 (which never fails)."""
    for charset in ("utf-8", "cp1252"):
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    return str(best) if best is not None else data.decode("latin-1")


def _recipients(message: Message) -> list[str]:
    values = [_header(message, name) for name in ("To", "Cc", "Delivered-To", "X-Original-To")]
    return [address.lower() for _name, address in getaddresses([v for v in values if v]) if address]


def _is_automatic(message: Message, sender: str) -> bool:
    auto = _header(message, "Auto-Submitted").strip().lower()
    return (
        (auto not in {"", "no"})
        or _header(message, "Precedence").strip().lower() in AUTOMATIC_PRECEDENCE
        or sender.startswith(BOUNCE_SENDERS)
        or bool(_header(message, "X-Autoreply") or _header(message, "X-Autorespond"))
        or bool(_header(message, "X-Auto-Response-Suppress"))
        or message.get_content_type() == "multipart/report"
    )


# --- bodies and files ------------------------------------------------------------------


def _content(message: Message) -> tuple[str, str, list[Upload]]:
    """The plain and HTML bodies and every other part as a file. Inline text parts that
    are not alternatives of each other (Apple Mail puts text, a file, then more text)
    are joined; of alternatives, the first of each kind is taken."""
    texts: list[str] = []
    htmls: list[str] = []
    uploads: list[Upload] = []
    for part, alternative in _leaves(message):
        ctype = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        filename = _filename(part)
        is_body = disposition != "attachment" and not filename
        if is_body and ctype == "text/plain" and (not texts or not alternative):
            texts.append(_decode_text(part))
        elif is_body and ctype == "text/html" and (not htmls or not alternative):
            htmls.append(_decode_text(part))
        elif ctype == "message/rfc822":
            uploads.append(Upload(name=filename or "mensaje-reenviado.eml", content=_payload(part)))
        elif ctype == "text/calendar":
            uploads.append(Upload(name=filename or "invitacion.ics", content=_payload(part)))
        elif is_body and ctype in {"text/plain", "text/html"}:
            continue  # a second alternative of a body already taken
        else:
            content = _payload(part)
            if not content:
                continue
            name = filename or _default_name(ctype)
            uploads.append(Upload(name=name, content=content, content_id=_content_id(part)))
            if name.lower() == "winmail.dat":
                uploads.extend(_tnef_files(content))
    return "\n\n".join(t.strip() for t in texts), "\n".join(htmls), uploads


def _leaves(message: Message, alternative: bool = False) -> list[tuple[Message, bool]]:
    """The non-multipart parts, depth first, each with whether it is one of several
    alternatives; a forwarded message is one leaf."""
    if message.get_content_type() == "message/rfc822":
        return [(message, alternative)]
    payload = message.get_payload()
    if message.get_content_maintype() == "multipart" and isinstance(payload, str):
        return _leaves(_reparse_multipart(message, payload), alternative)
    if message.is_multipart() and isinstance(payload, list):
        inner = alternative or message.get_content_subtype() == "alternative"
        leaves: list[tuple[Message, bool]] = []
        for part in payload:
            if isinstance(part, Message):
                leaves.extend(_leaves(part, inner))
        return leaves
    return [(message, alternative)]


def _reparse_multipart(message: Message, payload: str) -> Message:
    """A multipart whose boundary was never declared: take it from the first `--` line,
    or read the whole payload as plain text."""
    body = payload.encode("utf-8", "surrogateescape")
    first = re.search(rb"^--([^\s-][^\r\n]*?)\s*$", body, re.MULTILINE)
    if first is None:
        header = b"Content-Type: text/plain\n\n"
    else:
        subtype = message.get_content_subtype().encode()
        header = b"Content-Type: multipart/" + subtype + b'; boundary="' + first[1] + b'"\n\n'
    reparsed = BytesParser(policy=policy.default).parsebytes(header + body)
    if reparsed.get_content_maintype() == "multipart" and isinstance(reparsed.get_payload(), str):
        return BytesParser(policy=policy.default).parsebytes(b"Content-Type: text/plain\n\n" + body)
    return reparsed


def _payload(part: Message) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            return inner[0].as_bytes(policy=policy.SMTP.clone(linesep="\n", max_line_length=998))
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    return payload if isinstance(payload, bytes) else b""


def _decode_text(part: Message) -> str:
    """Text in its declared charset; when that is missing, unknown or wrong, the likely
    one; with plain newlines, whatever line ends the sender's system wrote."""
    data = _payload(part).replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    declared = part.get_content_charset()
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    return _decode_bytes(data)


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    return " ".join(str(name).split())


def _content_id(part: Message) -> str:
    return _header(part, "Content-ID").strip().strip("<>")[:255]


_DEFAULT_EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
}


def _default_name(content_type: str) -> str:
    return "adjunto" + _DEFAULT_EXTENSIONS.get(content_type, ".dat")


def _tnef_files(content: bytes) -> list[Upload]:
    """The files inside an Outlook winmail.dat, besides the .dat itself."""
    try:
        from tnefparse import TNEF  # type: ignore[import-untyped]

        tnef = TNEF(content)
        return [
            Upload(name=str(item.long_filename() or item.name or "adjunto.dat"), content=bytes(item.data))
            for item in tnef.attachments
            if item.data
        ]
    except Exception:  # an unreadable TNEF stays attached as winmail.dat
        return []


# --- bounces ---------------------------------------------------------------------------


def _bounce(message: Message, sender: str) -> Bounce | None:
    """A delivery status notification: which of our messages failed, to whom, and why."""
    is_report = message.get_content_type() == "multipart/report"
    if not is_report and not sender.startswith(BOUNCE_SENDERS):
        return None
    recipients: list[str] = []
    diagnostic = ""
    original_ids: list[str] = []
    for part in message.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            status_text = _delivery_status_text(part)
            recipients += [
                value.split(";", 1)[-1].strip().lower()
                for value in re.findall(r"(?im)^Final-Recipient:\s*(.+)$", status_text)
            ]
            found = re.search(r"(?im)^Diagnostic-Code:\s*(.+(?:\n[ \t].+)*)", status_text)
            status = re.search(r"(?im)^Status:\s*(\S+)", status_text)
            diagnostic = " ".join((found[1] if found else (status[1] if status else "")).split())
        elif ctype in {"message/rfc822", "text/rfc822-headers", "message/rfc822-headers"}:
            original_ids += message_ids_in(_original_message_id(part))
    plain = message.get_body(("plain",)) if isinstance(message, EmailMessage) else None
    body = _decode_text(plain) if plain is not None else ""
    if not original_ids:  # some servers only quote the original headers in the text
        original_ids = message_ids_in(" ".join(re.findall(r"(?im)^Message-ID:\s*(<[^>]+>)", body)))
    if not recipients:  # qmail and plain-text reports: "<address>:" then the reason
        for address, reason in _TEXT_BOUNCE.findall(body.split("--- Below this line", 1)[0]):
            recipients.append(address.lower())
            diagnostic = diagnostic or " ".join(reason.split())
    return Bounce(original_ids, recipients, diagnostic[:500])


_TEXT_BOUNCE = re.compile(r"^<([^<>\s@]+@[^<>\s]+)>:[ \t]*\n?[ \t]*(\S[^\n]*)", re.MULTILINE)


def _delivery_status_text(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list):  # the parser splits delivery-status into header blocks
        return "\n".join(str(block) for block in payload)
    return _payload(part).decode("utf-8", "replace") or str(payload)


def _original_message_id(part: Message) -> str:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            return _header(inner[0], "Message-ID")
    text = _payload(part).decode("utf-8", "replace")
    found = re.search(r"(?im)^Message-ID:\s*(<[^>]+>)", text)
    return found[1] if found else ""
