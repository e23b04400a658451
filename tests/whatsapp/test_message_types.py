"""Every message type of Meta's documented payloads arrives on the ticket: text, media
(fetched, checked against its SHA-256, kept as files), location, contact cards,
reactions and replies with their context; a type we do not know says what it was."""

from __future__ import annotations

from typing import Any

import pytest

from atiende.tickets.models import Message
from atiende.whatsapp import samples
from atiende.whatsapp.models import DeliveryStatus, WebhookDelivery
from tests.whatsapp.conftest import ANA_PHONE, Meta
from tests.whatsapp.graph_standin import GraphStandIn

pytestmark = pytest.mark.django_db

OGG = b"OggS\x00\x02" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 40
PDF = b"%PDF-1.4\n%%EOF\n"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 30


def media(graph: GraphStandIn, kind: str, content: bytes, mime: str, **extra: Any) -> dict[str, Any]:
    media_id = "1090001234"
    digest = graph.add_media(media_id, content, mime)
    return samples.message(ANA_PHONE, kind, {"id": media_id, "sha256": digest, "mime_type": mime, **extra})


def last_message() -> Message:
    message = Message.objects.order_by("pk").last()
    assert message is not None
    return message


@pytest.mark.parametrize(
    ("kind", "content", "mime", "extra", "text", "filename"),
    [
        (
            "image",
            JPEG,
            "image/jpeg",
            {"caption": "La pantalla azul"},
            "La pantalla azul",
            "whatsapp-image-90001234.jpg",
        ),
        (
            "audio",
            OGG,
            "audio/ogg; codecs=opus",
            {"voice": True},
            "[Nota de voz]",
            "whatsapp-audio-90001234.ogg",
        ),
        ("audio", OGG, "audio/ogg", {}, "[Audio]", "whatsapp-audio-90001234.ogg"),
        ("video", MP4, "video/mp4", {"caption": "Así suena"}, "Así suena", "whatsapp-video-90001234.mp4"),
        ("document", PDF, "application/pdf", {"filename": "Factura 12.pdf"}, "[Documento]", "Factura 12.pdf"),
        ("sticker", WEBP, "image/webp", {"animated": False}, "[Sticker]", "whatsapp-sticker-90001234.webp"),
    ],
)
def test_media_arrive_as_checked_files(
    meta: Meta,
    graph: GraphStandIn,
    kind: str,
    content: bytes,
    mime: str,
    extra: dict[str, Any],
    text: str,
    filename: str,
) -> None:
    meta.send(media(graph, kind, content, mime, **extra))
    message = last_message()
    assert message.body_text == text
    attachment = message.attachments.get()
    assert attachment.filename == filename
    with attachment.file.open("rb") as file:
        assert file.read() == content
    assert graph.unauthorized == 0


def test_media_whose_hash_does_not_match_are_not_kept_and_the_body_waits(
    meta: Meta, graph: GraphStandIn
) -> None:
    item = media(graph, "image", JPEG, "image/jpeg")
    graph.wrong_hash.add("1090001234")
    item["image"]["sha256"] = ""  # only the Graph API's hash to go by
    meta.send(item)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.QUARANTINED
    assert "SHA-256 mismatch" in delivery.error
    assert not Message.objects.exists()


def test_a_file_type_the_help_desk_refuses_is_said_not_kept(meta: Meta, graph: GraphStandIn) -> None:
    meta.send(media(graph, "document", b"MZ\x90\x00", "application/x-msdownload", filename="setup.exe"))
    assert "[Documento no guardado:" in last_message().body_text
    assert not last_message().attachments.exists()


def test_a_location_becomes_words_and_a_map_link(meta: Meta) -> None:
    location = {"latitude": 4.6097, "longitude": -74.0817, "name": "Sede Norte", "address": "Cra 7 # 32-16"}
    meta.send(samples.message(ANA_PHONE, "location", location))
    text = last_message().body_text
    assert "Ubicación: Sede Norte, Cra 7 # 32-16" in text
    assert "https://www.openstreetmap.org/?mlat=4.6097&mlon=-74.0817" in text


def test_a_contact_card_keeps_its_phones_and_emails(meta: Meta) -> None:
    card = {
        "name": {"formatted_name": "Jorge Redes", "first_name": "Jorge"},
        "phones": [{"phone": "+57 310 555 1234", "wa_id": "573105551234", "type": "CELL"}],
        "emails": [{"email": "jorge@acme.test", "type": "WORK"}],
    }
    meta.send(samples.message(ANA_PHONE, "contacts", None, contacts=[card]))
    assert last_message().body_text == "Tarjeta de contacto: Jorge Redes +57 310 555 1234, jorge@acme.test"


def test_reactions_and_replies_keep_their_context(meta: Meta) -> None:
    first = samples.text(ANA_PHONE, "La impresora del piso 2 no imprime")
    meta.send(first)
    meta.send(samples.message(ANA_PHONE, "reaction", {"message_id": first["id"], "emoji": "👍"}))
    assert last_message().body_text == "Reaccionó 👍 a: «La impresora del piso 2 no imprime»"
    meta.send(
        samples.text(ANA_PHONE, "Ya imprime", context={"from": ANA_PHONE.lstrip("+"), "id": first["id"]})
    )
    assert last_message().body_text == "En respuesta a: «La impresora del piso 2 no imprime»\nYa imprime"
    meta.send(samples.message(ANA_PHONE, "reaction", {"message_id": "wamid.unknown", "emoji": ""}))
    assert last_message().body_text == "Quitó su reacción a: un mensaje anterior"
    assert Message.objects.filter(ticket=last_message().ticket).count() == 4


def test_an_unsupported_type_says_what_it_was(meta: Meta) -> None:
    errors = [{"code": 131051, "title": "Message type unknown", "message": "Message type unknown"}]
    meta.send(samples.message(ANA_PHONE, "unsupported", None, errors=errors))
    text = last_message().body_text
    assert "un tipo que esta mesa de ayuda no puede mostrar (unsupported)" in text
    assert "Message type unknown" in text


def test_a_type_meta_adds_later_still_arrives(meta: Meta) -> None:
    meta.send(samples.message(ANA_PHONE, "poll", {"question": "?"}))
    assert "(poll)" in last_message().body_text


def test_button_replies_arrive_as_their_text(meta: Meta) -> None:
    meta.send(samples.message(ANA_PHONE, "button", {"text": "Sí, ya funciona", "payload": "ok"}))
    assert last_message().body_text == "Sí, ya funciona"
