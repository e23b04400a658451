"""An article's file, answered the way tickets' files are: shown in place only when its
type is safe and its first bytes agree."""

from __future__ import annotations

from django.http import FileResponse

from atiende.knowledge.models import ArticleFile
from atiende.tickets.attachments import safe_inline


def file_response(found: ArticleFile, *, public: bool) -> FileResponse:
    inline = safe_inline(found.content_type, found.file)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=not inline,
        filename=found.filename,
        content_type=found.content_type if inline else "application/octet-stream",
    )
    response["Cache-Control"] = f"{'public' if public else 'private'}, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
