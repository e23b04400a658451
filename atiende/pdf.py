"""Documents as PDF (WeasyPrint): a template rendered in the reader's language, branded
with the provider's name, tax id, address and logo from the settings, self-contained (the
logo inlined as a data URL, and a fetcher that loads nothing from outside)."""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def provider() -> dict[str, str]:
    """The provider's branding, as every document's header shows it."""
    return {
        "name": settings.ATIENDE_PROVIDER_NAME,
        "tax_id": settings.ATIENDE_PROVIDER_TAX_ID,
        "address": settings.ATIENDE_PROVIDER_ADDRESS,
        "logo": _logo(),
    }


def _logo() -> str:
    path = settings.ATIENDE_PROVIDER_LOGO
    if not path or not Path(path).is_file():
        return ""
    kind = mimetypes.guess_type(path)[0] or "image/png"
    return f"data:{kind};base64," + base64.b64encode(Path(path).read_bytes()).decode()


def render(template: str, context: dict[str, Any], language: str | None = None) -> bytes:
    import weasyprint  # type: ignore[import-untyped]  # heavy: loaded only when a PDF is made

    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template, {**context, "provider": provider()})
    return bytes(weasyprint.HTML(string=html, url_fetcher=_data_only).write_pdf())


def _data_only(url: str, *args: object, **kwargs: object) -> dict[str, Any]:
    if url.startswith("data:"):
        import weasyprint

        return dict(weasyprint.default_url_fetcher(url))
    raise ValueError("documents load nothing from outside")
