"""What a WhatsApp message says on the ticket: its text, its files, and words for what has
no text (a location, a contact card, a reaction, a type we do not know). Nothing sent is
dropped: whatever arrives becomes at least a line that says what it was."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from atiende.errors import DomainError
from atiende.tickets.attachments import Upload, clean_filename, validate_uploads
from atiende.whatsapp import graph
from atiende.whatsapp.models import InboundMessage, OutboundMessage, WhatsAppNumber
from atiende.whatsapp.payloads import MEDIA_KINDS

EXTENSIONS = {
    "audio/ogg": ".ogg",
    "audio/opus": ".opus",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "audio/aac": ".m4a",
    "audio/amr": ".amr",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "video/mp4": ".mp4",
    "video/3gpp": ".3gp",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
}
QUOTE_CHARACTERS = 120


@dataclass
class Content:
    text: str
    uploads: list[Upload] = field(default_factory=list)


def _kind_names() -> dict[str, str]:
    return {
        "image": _("Image"),
        "audio": _("Audio"),
        "voice": _("Voice note"),
        "video": _("Video"),
        "document": _("Document"),
        "sticker": _("Sticker"),
        "location": pgettext("whatsapp", "Location"),
        "contacts": _("Contact card"),
        "reaction": _("Reaction"),
    }


def read(number: WhatsAppNumber, kind: str, payload: dict[str, Any]) -> Content:
    """The text and files of one message (media fetched from the Graph API)."""
    lines: list[str] = []
    context = _dict(payload.get("context"))
    if context.get("id"):
        lines.append(_("In reply to: %(quote)s") % {"quote": _quote(str(context["id"]))})
    uploads: list[Upload] = []
    body = _dict(payload.get(kind))
    if kind == "text":
        lines.append(str(body.get("body") or ""))
    elif kind in MEDIA_KINDS:
        lines.extend(_media(number, kind, body, uploads))
    elif kind == "location":
        lines.append(_location(body))
    elif kind == "contacts":
        lines.extend(_contacts(payload.get("contacts")))
    elif kind == "reaction":
        emoji = str(body.get("emoji") or "")
        quoted = _quote(str(body.get("message_id") or ""))
        if emoji:
            lines.append(_("Reacted %(emoji)s to: %(quote)s") % {"emoji": emoji, "quote": quoted})
        else:
            lines.append(_("Removed their reaction to: %(quote)s") % {"quote": quoted})
    elif kind == "button":
        lines.append(str(body.get("text") or body.get("payload") or ""))
    elif kind == "interactive":
        reply = _dict(body.get("button_reply")) or _dict(body.get("list_reply"))
        lines.append(str(reply.get("title") or reply.get("id") or ""))
    else:
        lines.append(_unsupported(kind, payload))
    text = "\n".join(line for line in lines if line.strip()).strip()
    return Content(text or _("(WhatsApp message of type %(kind)s without text)") % {"kind": kind}, uploads)


def _media(number: WhatsAppNumber, kind: str, body: dict[str, Any], uploads: list[Upload]) -> list[str]:
    names = _kind_names()
    label = names["voice"] if kind == "audio" and body.get("voice") else names.get(kind, kind)
    lines = [str(body.get("caption") or "")]
    media_id = str(body.get("id") or "")
    if not media_id:
        return [*lines, _("[%(kind)s without a file]") % {"kind": label}]
    media = graph.download_media(number, media_id, str(body.get("sha256") or ""))
    mime = str(body.get("mime_type") or media.mime_type).split(";")[0].strip().lower()
    extension = EXTENSIONS.get(mime) or mimetypes.guess_extension(mime) or ".bin"
    name = str(body.get("filename") or "") or f"whatsapp-{kind}-{media_id[-8:]}{extension}"
    upload = Upload(clean_filename(name), media.content, as_sent=True)
    try:
        validate_uploads([*uploads, upload])
    except DomainError as error:
        return [*lines, _("[%(kind)s not kept: %(reason)s]") % {"kind": label, "reason": error.message}]
    uploads.append(upload)
    if not lines[0]:
        lines = [f"[{label}]"]
    return lines


def _location(body: dict[str, Any]) -> str:
    latitude, longitude = body.get("latitude"), body.get("longitude")
    where = ", ".join(str(body.get(key)) for key in ("name", "address") if body.get(key))
    text = pgettext("whatsapp", "Location") + (f": {where}" if where else "")
    if isinstance(latitude, int | float) and isinstance(longitude, int | float):
        text += (
            f"\nhttps://www.openstreetmap.org/?mlat={latitude}&mlon={longitude}#map=17/{latitude}/{longitude}"
        )
    return text


def _contacts(cards: object) -> list[str]:
    lines = []
    for card in cards if isinstance(cards, list) else []:
        card = _dict(card)
        name = str(_dict(card.get("name")).get("formatted_name") or "")
        phones = [str(_dict(p).get("phone") or "") for p in card.get("phones") or [] if isinstance(p, dict)]
        emails = [str(_dict(e).get("email") or "") for e in card.get("emails") or [] if isinstance(e, dict)]
        details = ", ".join(value for value in [*phones, *emails] if value)
        lines.append(_("Contact card: %(name)s %(details)s") % {"name": name, "details": details})
    return lines or [_("Contact card")]


def _unsupported(kind: str, payload: dict[str, Any]) -> str:
    errors = payload.get("errors") if isinstance(payload.get("errors"), list) else []
    detail = "; ".join(
        str(_dict(error).get("title") or _dict(error).get("message") or "") for error in errors or []
    )
    text = _("The contact sent a WhatsApp message of a type this help desk cannot show (%(kind)s).") % {
        "kind": kind
    }
    return f"{text} {detail}".strip()


def _quote(wamid: str) -> str:
    """The text of the message a reply or reaction refers to, when it is on a ticket."""
    inbound = InboundMessage.objects.filter(wamid=wamid).select_related("message").first()
    text = inbound.message.body_text if inbound and inbound.message else ""
    if not text:
        outbound = (
            OutboundMessage.objects.filter(wamid=wamid).select_related("message").first() if wamid else None
        )
        text = outbound.message.body_text if outbound and outbound.message else ""
    if not text:
        return _("an earlier message")
    text = " ".join(text.split())
    return "«" + (text[:QUOTE_CHARACTERS] + "…" if len(text) > QUOTE_CHARACTERS else text) + "»"


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def preview(kind: str, payload: dict[str, Any]) -> str:
    """A line for a held message, without fetching anything."""
    body = _dict(payload.get(kind))
    if kind == "text":
        return str(body.get("body") or "")
    label = _kind_names().get(kind, kind)
    caption = str(body.get("caption") or body.get("filename") or body.get("emoji") or "")
    return f"[{label}] {caption}".strip()
