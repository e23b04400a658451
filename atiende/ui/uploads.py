"""The file field every form that takes attachments uses (portal, desk): several files in
one input, turned into the domain's `Upload`s. The limits are the domain's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from atiende.tickets.attachments import Upload, allowed_types_text


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; the limits are checked by the domain (one rule for all channels)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def uploads_from(files: list[UploadedFile]) -> list[Upload]:
    return [Upload(name=file.name or "archivo", content=file.read()) for file in files]


def attachments_help() -> str:
    return str(
        _("Up to %(per_file)s MB per file and %(total)s MB in all. Accepted: %(types)s.")
        % {
            "per_file": settings.ATIENDE_MAX_ATTACHMENT_MB,
            "total": settings.ATIENDE_MAX_ATTACHMENTS_TOTAL_MB,
            "types": allowed_types_text(),
        }
    )
