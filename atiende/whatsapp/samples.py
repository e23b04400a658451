"""Webhook bodies shaped as Meta documents them, for `atiende whatsapp send-test`, the demo
and the tests: anyone can watch a message become a ticket without a Meta account."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from typing import Any


def new_wamid() -> str:
    return "wamid." + uuid.uuid4().hex.upper()


def message(sender: str, kind: str, body: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """One message object as it appears in `value.messages`; `sender` in digits (573001234567)."""
    item: dict[str, Any] = {
        "from": sender.lstrip("+"),
        "id": extra.pop("wamid", None) or new_wamid(),
        "timestamp": str(extra.pop("timestamp", None) or int(time.time())),
        "type": kind,
    }
    if body is not None:
        item[kind] = body
    item.update(extra)
    return item


def text(sender: str, words: str, **extra: Any) -> dict[str, Any]:
    return message(sender, "text", {"body": words}, **extra)


def status(
    wamid: str,
    state: str,
    recipient: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    tracker: str = "",
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": wamid,
        "status": state,
        "timestamp": str(int(time.time())),
        "recipient_id": recipient.lstrip("+"),
    }
    if errors:
        item["errors"] = errors
    if tracker:
        item["biz_opaque_callback_data"] = tracker
    return item


def body(
    phone_number_id: str,
    *,
    messages: Sequence[dict[str, Any]] = (),
    statuses: Sequence[dict[str, Any]] = (),
    profile_name: str = "",
    display_phone: str = "15550100",
    business_account_id: str = "102290129340398",
) -> bytes:
    """The whole webhook body (`object`, `entry`, `changes`, `value`)."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": display_phone, "phone_number_id": phone_number_id},
    }
    if messages:
        value["contacts"] = [
            {"profile": {"name": profile_name or "Cliente"}, "wa_id": sender}
            for sender in sorted({item["from"] for item in messages})
        ]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    envelope = {
        "object": "whatsapp_business_account",
        "entry": [{"id": business_account_id, "changes": [{"value": value, "field": "messages"}]}],
    }
    return json.dumps(envelope, ensure_ascii=False).encode()
