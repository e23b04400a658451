"""Reading Meta's webhook bodies (WhatsApp Business Cloud API, `messages` field): the
messages people sent and the delivery statuses of ours. Reading is strict about the
envelope (it must be ours and well formed) and lenient about each message: a type we do
not know still arrives, as a message that says what it was."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

MEDIA_KINDS = frozenset({"image", "audio", "video", "document", "sticker"})


class PayloadError(ValueError):
    """The body is not a WhatsApp Business webhook we can read."""


@dataclass(frozen=True)
class Incoming:
    wamid: str
    sender: str  # digits, as Meta sends them (573001234567)
    profile_name: str
    kind: str
    sent_at: datetime.datetime
    payload: dict[str, Any]


@dataclass(frozen=True)
class StatusUpdate:
    wamid: str
    status: str
    at: datetime.datetime
    error: str = ""
    recipient: str = ""  # digits, as Meta sends them
    tracker: str = ""  # our `biz_opaque_callback_data`, echoed back by Meta


@dataclass
class Delivery:
    phone_number_ids: set[str] = field(default_factory=set)
    messages: list[Incoming] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)


def parse(body: bytes) -> Delivery:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PayloadError(f"not JSON: {error}") from None
    if not isinstance(data, dict) or data.get("object") != "whatsapp_business_account":
        raise PayloadError("not a WhatsApp Business webhook (object is not whatsapp_business_account)")
    delivery = Delivery()
    for entry in _list(data.get("entry")):
        for change in _list(_dict(entry).get("changes")):
            change = _dict(change)
            if change.get("field") != "messages":
                continue  # account and template updates: nothing for tickets
            _read_value(_dict(change.get("value")), delivery)
    return delivery


def _read_value(value: dict[str, Any], delivery: Delivery) -> None:
    metadata = _dict(value.get("metadata"))
    phone_number_id = str(metadata.get("phone_number_id") or "")
    if not phone_number_id:
        raise PayloadError("a change without metadata.phone_number_id")
    delivery.phone_number_ids.add(phone_number_id)
    names = {
        str(_dict(contact).get("wa_id") or ""): str(_dict(_dict(contact).get("profile")).get("name") or "")
        for contact in _list(value.get("contacts"))
    }
    for raw in _list(value.get("messages")):
        message = _dict(raw)
        wamid, sender = str(message.get("id") or ""), str(message.get("from") or "")
        if not wamid or not sender.isdigit() or len(wamid) > 200 or len(sender) > 20:
            raise PayloadError("a message without a valid id or sender")
        delivery.messages.append(
            Incoming(
                wamid=wamid,
                sender=sender,
                profile_name=names.get(sender, "")[:200],
                kind=str(message.get("type") or "unsupported")[:20],
                sent_at=_time(message.get("timestamp")),
                payload=message,
            )
        )
    for raw in _list(value.get("statuses")):
        status = _dict(raw)
        wamid = str(status.get("id") or "")
        if not wamid:
            raise PayloadError("a status without a message id")
        delivery.statuses.append(
            StatusUpdate(
                wamid=wamid[:200],
                status=str(status.get("status") or ""),
                at=_time(status.get("timestamp")),
                error=_errors(status.get("errors")),
                recipient=str(status.get("recipient_id") or "")[:20],
                tracker=str(status.get("biz_opaque_callback_data") or "")[:512],
            )
        )


def _errors(value: object) -> str:
    """Meta's errors in one line: code, title and details."""
    parts = []
    for error in _list(value):
        error = _dict(error)
        details = _dict(error.get("error_data")).get("details") or error.get("message") or ""
        text = f"{error.get('code', '')} {error.get('title', '')}".strip()
        parts.append(f"{text}: {details}" if details and details != error.get("title") else text)
    return "; ".join(parts)[:1000]


def _time(value: object) -> datetime.datetime:
    try:
        return datetime.datetime.fromtimestamp(int(str(value)), tz=datetime.UTC)
    except (ValueError, OverflowError, OSError):
        return timezone.now()


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
