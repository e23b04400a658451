"""The Graph API calls the channel makes: fetch a person's media, upload ours, send.

Plain httpx against `ATIENDE_WHATSAPP_GRAPH_URL` (Meta's host with its version in
production, a loopback stand-in in tests): see docs/decisions.md for why not pywa's client.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from atiende.whatsapp.models import WhatsAppNumber

# Meta serves media from its CDN hosts; a media URL anywhere else is not followed.
MEDIA_HOSTS = (".facebook.com", ".fbcdn.net", ".fbsbx.com", ".whatsapp.net")


class GraphError(Exception):
    """The Graph API refused or failed; `permanent` when sending again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Media:
    content: bytes
    mime_type: str


def _client(number: WhatsAppNumber) -> httpx.Client:
    return httpx.Client(
        base_url=settings.ATIENDE_WHATSAPP_GRAPH_URL.rstrip("/") + "/",
        headers={"Authorization": f"Bearer {number.access_token}"},
        timeout=settings.ATIENDE_WHATSAPP_TIMEOUT_SECONDS,
        follow_redirects=False,
    )


def _checked(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        data = {}
    if response.is_success and isinstance(data, dict):
        return data
    error = data.get("error", {}) if isinstance(data, dict) else {}
    error = error if isinstance(error, dict) else {}
    text = f"HTTP {response.status_code}"
    if error:
        text += f" {error.get('code', '')}: {error.get('message', '')}"
    # Meta's 4xx answers (a bad number, an expired window) do not change when repeated;
    # 429 and 5xx do.
    permanent = 400 <= response.status_code < 500 and response.status_code != 429
    raise GraphError(text[:1000], permanent=permanent)


def download_media(number: WhatsAppNumber, media_id: str, expected_sha256: str = "") -> Media:
    """The file a person sent, checked against the SHA-256 Meta announced."""
    limit = settings.ATIENDE_WHATSAPP_MAX_MEDIA_BYTES
    with _client(number) as client:
        try:
            info = _checked(client.get(media_id.replace("/", "")))
            url = str(info.get("url") or "")
            if not _media_url_allowed(url):
                raise GraphError(f"media URL on an unexpected host: {urlsplit(url).hostname}", permanent=True)
            if int(info.get("file_size") or 0) > limit:
                raise GraphError(f"media larger than {limit} bytes", permanent=True)
            with client.stream("GET", url) as response:
                if not response.is_success:
                    raise GraphError(f"media download: HTTP {response.status_code}")
                content = bytearray()
                for chunk in response.iter_bytes():
                    content.extend(chunk)
                    if len(content) > limit:
                        raise GraphError(f"media larger than {limit} bytes", permanent=True)
        except httpx.HTTPError as error:
            raise GraphError(f"{type(error).__name__}: {error}") from error
    expected = (expected_sha256 or str(info.get("sha256") or "")).lower()
    actual = hashlib.sha256(content).hexdigest()
    if expected and expected != actual:
        raise GraphError(f"media SHA-256 mismatch (expected {expected[:16]}…, got {actual[:16]}…)")
    return Media(bytes(content), str(info.get("mime_type") or "application/octet-stream"))


def upload_media(number: WhatsAppNumber, name: str, content: bytes, mime_type: str) -> str:
    with _client(number) as client:
        try:
            response = client.post(
                f"{number.phone_number_id}/media",
                data={"messaging_product": "whatsapp", "type": mime_type},
                files={"file": (name, content, mime_type)},
            )
        except httpx.HTTPError as error:
            raise GraphError(f"{type(error).__name__}: {error}") from error
    media_id = str(_checked(response).get("id") or "")
    if not media_id:
        raise GraphError("the upload returned no media id")
    return media_id


def send(number: WhatsAppNumber, payload: dict[str, Any]) -> str:
    """Send one message; returns its wamid."""
    body = {"messaging_product": "whatsapp", "recipient_type": "individual", **payload}
    with _client(number) as client:
        try:
            response = client.post(f"{number.phone_number_id}/messages", json=body)
        except httpx.HTTPError as error:
            raise GraphError(f"{type(error).__name__}: {error}") from error
    messages = _checked(response).get("messages") or [{}]
    wamid = str(messages[0].get("id") or "") if isinstance(messages[0], dict) else ""
    if not wamid:
        raise GraphError("the send returned no message id")
    return wamid


def _media_url_allowed(url: str) -> bool:
    parts = urlsplit(url)
    base = urlsplit(settings.ATIENDE_WHATSAPP_GRAPH_URL)
    if parts.scheme == base.scheme and parts.netloc == base.netloc:
        return True
    host = parts.hostname or ""
    return parts.scheme == "https" and any(host.endswith(suffix) for suffix in MEDIA_HOSTS)
