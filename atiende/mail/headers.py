"""Reading the headers of real-world mail: addresses from the header's structure (never
from a decoded display name), values without control characters, Message-IDs valid or
empty, and text in whatever charset the sender used or meant."""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass
from email import _header_value_parser as address_parser
from email.header import decode_header
from email.headerregistry import BaseHeader
from email.message import Message

from charset_normalizer import from_bytes

from atiende.outbox.message_ids import message_ids_in

# Characters that end a line for someone: Python's str.splitlines() (which email's header
# folding uses) breaks at all of these, SMTP at CR and LF.
_LINE_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]")
# Other C0 and C1 controls, DEL, and lone surrogates (undecodable bytes Python kept).
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
# A mailbox we can write to and compare: no quoting, no domain literal, no spaces or controls.
ADDRESS = re.compile(r"[^\s\"(),:;<>@\[\\\]\x00-\x1f\x7f-\x9f]+@[^\s\"(),:;<>@\[\\\]\x00-\x1f\x7f-\x9f]+\.?")
ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[QqBb]\?[^?\s]*\?=")
# Codecs that are not a charset of text, whatever a message declares.
_NOT_CHARSETS = frozenset({"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode"})
# Declared charsets that, when wrong, are likely another Western one: guess. Any other one
# (ISO-2022-JP, Shift_JIS, KOI8-R...) is kept, with the odd bytes replaced.
_WESTERN = frozenset({"ascii", "utf-8", "iso8859-1", "cp1252", "iso8859-15", "latin-1"})
# What mailers write under the name of an older, smaller charset.
_SUPERSETS = {
    "iso2022_jp": ("iso2022_jp_2004", "iso2022_jp_ext", "iso2022_jp_2"),
    "shift_jis": ("cp932", "shift_jis_2004"),
    "euc_jp": ("euc_jis_2004",),
    "gb2312": ("gbk", "gb18030"),
    "gbk": ("gb18030",),
    "big5": ("big5hkscs", "cp950"),
    "euc_kr": ("cp949",),
}


def clean_header(value: str) -> str:
    """One line of text fit for any header or database column: line breaks and tabs become
    spaces, other control characters and undecodable leftovers go, spaces are collapsed."""
    return " ".join(_CONTROLS.sub("", _LINE_BREAKS.sub(" ", value)).split())


# --- senders and recipients ------------------------------------------------------------


@dataclass(frozen=True)
class Mailbox:
    address: str  # lower case; "" when the entry is not a usable address
    name: str
    problem: str  # why the address is not usable
    spelled: str = ""  # the address as written, for showing


def _mailboxes(value: str) -> tuple[list[Mailbox], str]:
    """The entries of an address header, read from its structure: the address is the
    addr-spec the parser found before any encoded word was decoded, so a display name can
    never become an address. Returns the entries and a problem with the list as a whole."""
    try:
        parsed, rest = address_parser.get_address_list(value)
    except Exception as error:  # the parser gave up on this header
        return [], f"unreadable ({type(error).__name__})"
    entries: list[Mailbox] = []
    for item in parsed:
        if item.token_type != "address":  # noqa: S105 (a parser token, not a password)
            continue
        if len(item) and getattr(item[0], "token_type", "") == "group":
            return [], "a group of addresses"
        for mailbox in getattr(item, "all_mailboxes", []):
            entries.append(_mailbox(mailbox))
    return entries, ("unreadable text after the addresses" if rest.strip() else "")


def _mailbox(token: address_parser.Mailbox) -> Mailbox:
    try:
        name = _display_text(str(token.display_name or ""))
    except Exception:
        name = ""
    if token.token_type != "mailbox":  # noqa: S105 (a parser token, not a password)
        return Mailbox("", name, "not one address (text or a second address around it)")
    try:
        address = restore_8bit(str(token.addr_spec), strict=True)
    except Exception:
        return Mailbox("", name, "an address in no readable charset")
    if not ADDRESS.fullmatch(address):
        return Mailbox("", name, "not a plain address")
    return Mailbox(address.rstrip(".").lower(), name, "", address)


def sender(message: Message) -> tuple[str, str, str]:
    """The sender's address, display name, and why there is no address when there is none."""
    values = raw_headers(message, "From")
    if not values:
        return "", "", "no From header"
    if len(values) > 1:
        return "", "", f"{len(values)} From headers"
    entries, problem = _mailboxes(values[0])
    name = entries[0].name if len(entries) == 1 else ""
    if problem:
        return "", name, f"From: {problem}"
    if not entries:
        return "", "", "From: no address"
    if len(entries) > 1:
        return "", "", f"From holds {len(entries)} addresses"
    if entries[0].problem:
        return "", name, f"From: {entries[0].problem}"
    return entries[0].address, name, ""


def recipients(message: Message) -> list[str]:
    """Every usable address of To, Cc, Delivered-To and X-Original-To (each header as often
    as it appears); entries that are not plain addresses are left out."""
    found: list[str] = []
    for name in ("To", "Cc", "Delivered-To", "X-Original-To"):
        for value in raw_headers(message, name):
            found += [entry.address for entry in _mailboxes(value)[0] if entry.address]
    return found


def _display_text(value: str) -> str:
    return clean_header(restore_8bit(value))


def restore_8bit(value: str, *, strict: bool = False) -> str:
    """Text that still holds raw 8-bit bytes (as surrogate escapes) read in their likely
    charset; `strict` demands UTF-8 (for addresses) and raises otherwise."""
    if not _SURROGATES.search(value):
        return value
    data = value.encode("utf-8", "surrogateescape")
    return data.decode("utf-8") if strict else decode_bytes(data)


def message_id(value: str) -> str:
    """The message's own Message-ID when it is a valid one (a bare left@right is given its
    angle brackets); otherwise "": the message is processed without one."""
    value = value.strip()
    if "<" not in value and ADDRESS.fullmatch(value):
        value = f"<{value}>"
    ids = message_ids_in(value)
    return ids[0] if ids else ""


# --- headers ---------------------------------------------------------------------------


def raw_headers(message: Message, name: str) -> list[str]:
    """Every value of a header as the sender wrote it (encoded words not decoded), unfolded."""
    try:
        items = list(message.raw_items())
    except Exception:
        return []
    return [
        re.sub(r"\r?\n(?=[ \t])", "", str(value)).replace("\r", " ").replace("\n", " ")
        for key, value in items
        if str(key).lower() == name.lower()
    ]


def raw_header(message: Message, name: str) -> str:
    values = raw_headers(message, name)
    return values[0] if values else ""


def header(message: Message, name: str) -> str:
    """A header as text, even when its encoded words or charset are wrong or missing.
    Not cleaned: callers that keep the value pass it through clean_header."""
    values = raw_headers(message, name)
    if not values:
        return ""
    try:
        header = message.get(name)
        value = str(header) if isinstance(header, BaseHeader) else "\ufffd"
    except Exception:
        value = "\ufffd"
    if "\ufffd" in value or _SURROGATES.search(value) or ENCODED_WORD.search(value):
        return lenient_header(values[0])
    if _UNTERMINATED_WORD.search(value):
        return lenient_header(values[0])
    return value


_UNTERMINATED_WORD = re.compile(r"=\?[\w.-]+\?[QqBb]\?[^?\s]*$")


def lenient_header(raw: str) -> str:
    """Decode a header as mail clients do: 8-bit bytes and encoded words in unknown
    charsets read as UTF-8 or Windows-1252, an encoded word missing its `?=` closed."""
    raw = " ".join(raw.split())
    if _UNTERMINATED_WORD.search(raw):
        raw += "?="
    try:
        parts = decode_header(raw)
    except Exception:
        return decode_bytes(raw.encode("utf-8", "surrogateescape"))
    words = []
    for content, charset in parts:
        if isinstance(content, str):  # 8-bit bytes arrive as surrogate escapes
            words.append(decode_bytes(content.encode("utf-8", "surrogateescape")))
            continue
        data = content.decode("ascii", "surrogateescape").encode("utf-8", "surrogateescape")
        words.append(decode_in(data, charset))
    return "".join(words) if len(parts) > 1 else words[0] if words else ""


def decode_in(data: bytes, charset: str | None) -> str:
    """Bytes in a declared charset. When the declaration is missing, unknown or wrong for a
    Western charset, the likely charset; a non-Western one is tried with the supersets
    mailers mean by it (GBK for GB2312, CP932 for Shift_JIS...), then read with the odd
    bytes replaced: never an error."""
    codec = _codec(charset)
    if codec is None:
        return decode_bytes(data)
    for candidate in (codec, *_SUPERSETS.get(codec, ())):
        with contextlib.suppress(Exception):
            return data.decode(candidate)
    if codec not in _WESTERN:
        with contextlib.suppress(Exception):
            return data.decode(codec, "replace")
    return decode_bytes(data)


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        name = codecs.lookup(charset.strip()).name
    except Exception:
        return None
    return None if name in _NOT_CHARSETS else name


def decode_bytes(data: bytes) -> str:
    """Text of unknown charset: UTF-8, else Windows-1252 (our users write Spanish), else
    whatever charset-normalizer detects, else Latin-1 (which never fails)."""
    for charset in ("utf-8", "cp1252"):
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            continue
    try:
        best = from_bytes(data).best()
    except Exception:
        best = None
    return str(best) if best is not None else data.decode("latin-1")


def kept_headers(message: Message) -> dict[str, str]:
    """The headers shown with the message: decoded and cleaned; address headers rebuilt
    from their structure, so a display name is shown quoted, as the name it is."""
    kept: dict[str, str] = {}
    for name in ("Message-ID", "From", "To", "Cc", "Subject", "Date", "In-Reply-To"):
        if name in {"From", "To", "Cc"}:
            value = ", ".join(_shown_mailbox(entry) for entry in _all_mailboxes(message, name))
        elif name in {"Message-ID", "In-Reply-To"}:
            value = clean_header(raw_header(message, name))
        else:
            value = clean_header(header(message, name))
        if value:
            kept[name] = value[:500]
    return kept


def _all_mailboxes(message: Message, name: str) -> list[Mailbox]:
    values = raw_headers(message, name)
    entries = [entry for value in values for entry in _mailboxes(value)[0]]
    if any(not entry.address for entry in entries) or (values and not entries):
        # not plain addresses (the sender was refused): show the text as it came, encoded
        # words left encoded so that none is shown as the address it spells
        return [Mailbox("", clean_header(restore_8bit(value)), "") for value in values]
    return entries


def _shown_mailbox(entry: Mailbox) -> str:
    if not entry.address:
        return entry.name
    if not entry.name:
        return entry.spelled
    if re.search(r"[@<>\",;:()\[\]\\]", entry.name):
        escaped = entry.name.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}" <{entry.spelled}>'
    return f"{entry.name} <{entry.spelled}>"
