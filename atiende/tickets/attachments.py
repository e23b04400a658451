"""Accepting files: what kinds, how large, and how they are stored."""

from __future__ import annotations

import hashlib
import mimetypes
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from atiende.tickets.exceptions import InvalidValue
from atiende.tickets.models import Attachment, Message

# Screenshots and photos, documents, recordings, logs and archives (the manuals' "grabaciones,
# capturas de pantalla, fotos").
ALLOWED_EXTENSIONS = frozenset(
    {
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".heic", ".tif", ".tiff",
        ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp",
        ".rtf", ".csv", ".txt", ".log", ".json", ".xml", ".eml", ".msg",
        ".mp3", ".wav", ".ogg", ".opus", ".m4a", ".amr", ".mp4", ".mov", ".webm", ".avi", ".3gp",
        ".zip", ".7z", ".gz", ".rar", ".dat", ".ics",
    }
)  # fmt: skip


# Types the platform's mimetypes table may not know.
_EXTRA_TYPES = {
    ".log": "text/plain",
    ".heic": "image/heic",
    ".opus": "audio/opus",
    ".amr": "audio/amr",
    ".m4a": "audio/mp4",
    ".msg": "application/vnd.ms-outlook",
    ".7z": "application/x-7z-compressed",
    ".rar": "application/vnd.rar",
    ".dat": "application/octet-stream",
}


def content_type_for(name: str) -> str:
    """Decided from the extension we accepted, never from what the sender claims."""
    suffix = PurePosixPath(name).suffix.lower()
    return _EXTRA_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


# Shown in the browser when the file's first bytes agree with its type; anything else is
# always downloaded, never rendered (an HTML page named .png must not open as a page).
INLINE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
    "application/pdf": (b"%PDF-",),
    # Voice notes and recordings play in the page (WhatsApp's are Ogg Opus).
    "audio/ogg": (b"OggS",),
    "audio/opus": (b"OggS",),
    "audio/mpeg": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
}


def shows_inline(attachment: Attachment) -> bool:
    """Whether the browser may display the file in place: a safe type whose content is
    really of that type."""
    return safe_inline(attachment.content_type, attachment.file)


def safe_inline(content_type: str, stored: FieldFile) -> bool:
    """The rule of `shows_inline` for any stored file (a ticket's, an article's)."""
    signatures = INLINE_SIGNATURES.get(content_type)
    if signatures is None:
        return False
    with stored.open("rb") as file:
        head: bytes = file.read(16)
    if content_type == "image/webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    return head.startswith(signatures)


# What a file of each kind starts with. A file whose content is not of the kind its name
# says is stored as plain bytes (application/octet-stream): never offered as a PDF or an
# image it is not. Kinds missing here (text, audio, video) have no reliable signature.
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
CONTENT_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".bmp": (b"BM",),
    ".tif": (b"II*\x00", b"MM\x00*"),
    ".tiff": (b"II*\x00", b"MM\x00*"),
    ".docx": _ZIP, ".xlsx": _ZIP, ".pptx": _ZIP, ".odt": _ZIP, ".ods": _ZIP, ".odp": _ZIP, ".zip": _ZIP,
    ".doc": _OLE, ".xls": _OLE, ".ppt": _OLE, ".msg": _OLE,
    ".7z": (b"7z\xbc\xaf\x27\x1c",),
    ".gz": (b"\x1f\x8b",),
    ".rar": (b"Rar!\x1a\x07",),
}  # fmt: skip


def content_matches(name: str, content: bytes) -> bool:
    """Whether the content is of the kind the name says (True for kinds without a signature)."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".pdf":
        return b"%PDF-" in content[:1024]  # readers accept a little junk before the header
    signatures = CONTENT_SIGNATURES.get(suffix)
    return signatures is None or content.startswith(signatures)


def is_program(content: bytes) -> bool:
    """A Windows, Linux or macOS executable, whatever its name says."""
    if content.startswith(b"MZ") and len(content) >= 64:
        offset = int.from_bytes(content[60:64], "little")
        return content[offset : offset + 4] == b"PE\x00\x00" or content[:64].count(b"\x00") > 16
    return content.startswith(
        (b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe")
    )


def stored_type(name: str, content: bytes) -> str:
    return content_type_for(name) if content_matches(name, content) else "application/octet-stream"


@dataclass(frozen=True)
class Upload:
    """A file as received from any channel, before it is accepted."""

    name: str
    content: bytes
    content_id: str = ""
    # A file the sender attached to an email: kept even when empty (it was sent so).
    as_sent: bool = False


def clean_filename(name: str) -> str:
    """The base name only, without control characters, at most 255 characters."""
    base = PureWindowsPath(PurePosixPath(name).name).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = base.strip().strip(".") or "archivo"
    if len(base) > 255:
        suffix = PurePosixPath(base).suffix[:16]
        base = base[: 255 - len(suffix)] + suffix
    return base


def allowed_types_text() -> str:
    return ", ".join(sorted(ext.lstrip(".") for ext in ALLOWED_EXTENSIONS))


def validate_uploads(uploads: Sequence[Upload]) -> None:
    """Refuse the batch with the reason, naming the file, before anything is stored."""
    per_file = settings.ATIENDE_MAX_ATTACHMENT_MB * 1024 * 1024
    total_limit = settings.ATIENDE_MAX_ATTACHMENTS_TOTAL_MB * 1024 * 1024
    total = 0
    for upload in uploads:
        name = clean_filename(upload.name)
        suffix = PurePosixPath(name).suffix.lower()
        if suffix not in ALLOWED_EXTENSIONS:
            raise InvalidValue(
                "attachments",
                _("“%(name)s” is not an accepted kind of file. Accepted: %(types)s.")
                % {"name": name, "types": allowed_types_text()},
            )
        if is_program(upload.content):
            raise InvalidValue(
                "attachments",
                _("“%(name)s” is a program, whatever its name says: programs are not accepted.")
                % {"name": name},
            )
        if not upload.content and not upload.as_sent:
            raise InvalidValue("attachments", _("“%(name)s” is empty.") % {"name": name})
        if len(upload.content) > per_file:
            raise InvalidValue(
                "attachments",
                _("“%(name)s” is larger than %(limit)s MB.")
                % {"name": name, "limit": settings.ATIENDE_MAX_ATTACHMENT_MB},
            )
        total += len(upload.content)
    if total > total_limit:
        raise InvalidValue(
            "attachments",
            _("The files add up to more than %(limit)s MB.")
            % {"limit": settings.ATIENDE_MAX_ATTACHMENTS_TOTAL_MB},
        )


def store_uploads(message: Message, uploads: Sequence[Upload]) -> list[Attachment]:
    stored = []
    for upload in uploads:
        name = clean_filename(upload.name)
        content_type = stored_type(name, upload.content)
        attachment = Attachment(
            ticket_id=message.ticket_id,
            message=message,
            filename=name,
            content_type=content_type,
            size=len(upload.content),
            sha256=hashlib.sha256(upload.content).hexdigest(),
            content_id=upload.content_id,
        )
        attachment.file.save(name, ContentFile(upload.content), save=False)
        attachment.save()
        stored.append(attachment)
    return stored
