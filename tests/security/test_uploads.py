"""Hostile files through the portal's new-ticket form and by email: each is refused with a
clear reason, or stored under a name of ours inside the storage folder and served so that
no browser renders it as a page — `Content-Disposition: attachment` unless it really is an
image or a PDF, `X-Content-Type-Options: nosniff` always, never text/html or SVG inline."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.test import Client
from django.urls import reverse

from atiende.mail.inbound import process, store
from atiende.tickets.models import Attachment, Ticket, TicketType
from tests.conftest import World

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
# A GIF header that is also a JavaScript statement: the classic GIF/JS polyglot.
GIF_JS = b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=alert(document.domain);//"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
SAFE_INLINE = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}


def zip_bomb() -> bytes:
    """10 MB of zeros compressed to a few kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * (10 * 1024 * 1024))
    return buffer.getvalue()


# (file name as sent, content, whether it is accepted)
HOSTILE_FILES: list[tuple[str, bytes, bool]] = [
    ("captura.png", HTML, True),  # HTML named .png
    ("logo.png", SVG, True),  # SVG named .png
    ("imagen.gif", GIF_JS, True),  # GIF/JS polyglot
    ("foto.jpg", HTML, True),
    ("informe.pdf", HTML, True),  # HTML named .pdf
    ("pagina.html", HTML, False),
    ("dibujo.svg", SVG, False),
    ("script.js", b"alert(1)", False),
    ("bomba.zip", zip_bomb(), True),
    ("../../etc/passwd", b"root:x:0:0", False),  # no accepted extension once reduced to its base name
    ("../../etc/cron.d/evil.txt", b"* * * * * root sh", True),
    ("..\\..\\windows\\win.ini.txt", b"[fonts]", True),
    ("..\\..\\win.ini", b"[fonts]", False),
    ("nul\x00byte.png.html", HTML, False),
    ("nul\x00.txt", b"hola", True),
    ("factura\u202egnp.exe", b"MZ", False),  # right-to-left override: shows as "factura exe.png"
    ("recibo\u202efdp.txt", b"hola", True),
    ("ñandú-" + "á" * 240 + ".txt", b"largo", True),  # 250 characters, ~490 bytes in UTF-8
    ("x" * 1000 + ".png", PNG, True),
    ("名前📎.png", PNG, True),
    ("con.txt", b"reserved on Windows", True),
    (".htaccess", b"SetHandler application/x-httpd-php", False),
    ("imagen.PNG", PNG, True),
]


def _new_ticket(client: Client, world: World, name: str, content: bytes) -> tuple[int, str, Ticket | None]:
    client.force_login(world.luis.user)
    response = client.post(
        reverse("portal:ticket-new"),
        {
            "type": TicketType.objects.get(is_default=True).pk,
            "queue": world.soporte.pk,
            "service": "on-demand",
            "subject": "Archivo de prueba",
            "text": "Adjunto el archivo.",
            "attachments": [SimpleUploadedFile(name, content)],
        },
    )
    return response.status_code, response.content.decode(), Ticket.objects.first()


def _email_with(name: str, content: bytes, world: World) -> Ticket | None:
    message = EmailMessage()
    message["From"] = "luis@acme.test"
    message["To"] = "soporte@atiende.test"
    message["Subject"] = "Archivo por correo"
    message["Message-ID"] = f"<file-{abs(hash(name))}@acme.test>"
    message.set_content("Adjunto el archivo.")
    message.add_attachment(content, maintype="application", subtype="octet-stream", filename=name)
    inbound, _new = store(message.as_bytes(), source="pipe")
    process(inbound)
    return Ticket.objects.filter(subject="Archivo por correo").first()


def _assert_stored_and_served_safely(client: Client, attachment: Attachment, content: bytes) -> None:
    media = Path(settings.MEDIA_ROOT).resolve()
    on_disk = Path(attachment.file.path).resolve()
    assert on_disk.is_relative_to(media), on_disk
    assert on_disk.read_bytes() == content  # kept as sent: an archive is never opened
    assert len(on_disk.name.encode()) <= 255
    assert "/" not in attachment.filename and "\\" not in attachment.filename
    assert not any(ch in attachment.filename for ch in "\x00\u202e")
    assert len(attachment.filename) <= 255

    for query in ("", "?download=1"):
        response = client.get(reverse("attachment", args=[attachment.pk, attachment.filename]) + query)
        assert response.status_code == 200
        assert isinstance(response, FileResponse)
        served = b"".join(response.streaming_content)
        assert served == content
        kind = response["Content-Type"].split(";")[0]
        disposition = response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert kind not in {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml"}
        assert "\n" not in disposition and "\r" not in disposition
        if query or kind not in SAFE_INLINE:
            assert disposition.startswith("attachment"), (attachment.filename, kind, disposition)
        else:
            assert disposition.startswith("inline")
            assert _looks_like(kind, content), (
                f"{attachment.filename}: served inline as {kind} but is not one"
            )


def _looks_like(kind: str, content: bytes) -> bool:
    signatures = {
        "image/png": (b"\x89PNG\r\n\x1a\n",),
        "image/jpeg": (b"\xff\xd8\xff",),
        "image/gif": (b"GIF87a", b"GIF89a"),
        "image/webp": (b"RIFF",),
        "application/pdf": (b"%PDF-",),
    }
    return content.startswith(signatures[kind])


@pytest.mark.parametrize(
    ("name", "content", "accepted"), HOSTILE_FILES, ids=[repr(f[0])[:40] for f in HOSTILE_FILES]
)
def test_a_hostile_file_from_the_portal_is_refused_clearly_or_stored_and_served_safely(
    client: Client, world: World, name: str, content: bytes, accepted: bool
) -> None:
    status, html, ticket = _new_ticket(client, world, name, content)

    if not accepted:
        assert status == 400
        assert ticket is None
        assert "no es un tipo de archivo aceptado" in html
        assert "Adjunto el archivo." in html  # what was typed is kept
        return
    assert status == 302, html[:2000]
    assert ticket is not None
    attachment = ticket.attachments.get()
    _assert_stored_and_served_safely(client, attachment, content)


@pytest.mark.parametrize(
    ("name", "content"),
    [(name, content) for name, content, _accepted in HOSTILE_FILES],
    ids=[repr(f[0])[:40] for f in HOSTILE_FILES],
)
def test_a_hostile_file_by_email_is_kept_and_served_safely(
    client: Client, world: World, name: str, content: bytes
) -> None:
    ticket = _email_with(name, content, world)

    assert ticket is not None
    client.force_login(world.luis.user)
    for attachment in ticket.attachments.all():
        _assert_stored_and_served_safely(client, attachment, content)


def test_content_that_contradicts_an_image_name_is_downloaded_not_shown(client: Client, world: World) -> None:
    _status, _html, ticket = _new_ticket(client, world, "captura.png", HTML)
    assert ticket is not None
    attachment = ticket.attachments.get()

    response = client.get(reverse("attachment", args=[attachment.pk, attachment.filename]))

    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"


def test_a_real_image_is_shown_inline_and_downloaded_on_request(client: Client, world: World) -> None:
    _status, _html, ticket = _new_ticket(client, world, "captura.png", PNG)
    assert ticket is not None
    attachment = ticket.attachments.get()
    url = reverse("attachment", args=[attachment.pk, attachment.filename])

    shown = client.get(url)
    downloaded = client.get(url + "?download=1")

    assert shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"].startswith("inline")
    assert downloaded["Content-Disposition"].startswith("attachment")
    assert downloaded["Content-Type"] == "application/octet-stream"
