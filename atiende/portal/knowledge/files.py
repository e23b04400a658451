"""An article's file, answered the way tickets' files are: shown in place only when its
type is safe and its first bytes agree."""

from __future__ import annotations

from django.http import FileResponse

from atiende.knowledge.models import ArticleFile
from atiende.tickets.attachments import INLINE_SIGNATURES


def _shows_inline(found: ArticleFile) -> bool:
    signatures = INLINE_SIGNATURES.get(found.content_type)
    if signatures is None:
        return False
    with found.file.open("rb") as file:
        head: bytes = file.read(16)
    if found.content_type == "image/webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    return head.startswith(signatures)


def file_response(found: ArticleFile, *, public: bool) -> FileResponse:
    inline = _shows_inline(found)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=not inline,
        filename=found.filename,
        content_type=found.content_type if inline else "application/octet-stream",
    )
    response["Cache-Control"] = f"{'public' if public else 'private'}, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
