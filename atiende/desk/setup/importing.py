"""*Importar desde Excel o CSV*: the template, the upload and its preview, the import.

The uploaded file is kept (in the site's storage, under the uploader's own folder and a
random name) between the preview and the import, so the import writes exactly the file
that was previewed — checked again as the database stands then — and is deleted after."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from atiende import exports
from atiende.accounts import importing
from atiende.accounts.models import User
from atiende.desk.setup.common import setup_user
from atiende.errors import DomainError

PREVIEW_ROWS = 200
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}\.(xlsx|csv)$")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Excel (.xlsx) or CSV, at most %(size)s MB and %(rows)s rows, with the template's headers."
        ) % {
            "size": importing.MAX_BYTES // (1024 * 1024),
            "rows": number_format(importing.MAX_ROWS, force_grouping=True),
        }


def _pending_path(user: User, name: str) -> str:
    return f"imports/{user.pk}/{name}"


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    """The upload form; a sent file is read and checked, and its preview shown."""
    user = setup_user(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    context: dict[str, object] = {"form": form, "columns": importing.COLUMNS}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > importing.MAX_BYTES:
                form.add_error(
                    "file",
                    _("The file is larger than %(size)s MB: split it into several files.")
                    % {"size": importing.MAX_BYTES // (1024 * 1024)},
                )
            else:
                content = upload.read(importing.MAX_BYTES + 1)
                try:
                    rows = importing.read_table(upload.name or "", content)
                except DomainError as error:
                    form.add_error("file", error.message)
                else:
                    plan = importing.plan_import(rows)
                    context.update(plan=plan, preview=plan.rows[:PREVIEW_ROWS], summary=plan.summary)
                    if plan.is_valid:
                        status = 200
                        extension = "xlsx" if (upload.name or "").lower().endswith(".xlsx") else "csv"
                        token = f"{secrets.token_urlsafe(32)}.{extension}"
                        default_storage.save(_pending_path(user, token), ContentFile(content))
                        context["token"] = token
    return render(request, "desk/setup/import.html", context, status=status)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the previewed file in one transaction; invitations only when ticked."""
    user = setup_user(request)
    token = request.POST.get("token", "")
    if not _TOKEN.match(token):
        raise Http404
    path = _pending_path(user, token)  # another person's upload is not under this folder
    if not default_storage.exists(path):
        messages.error(request, _("That file was already imported or has expired: upload it again."))
        return redirect("desk:setup-import")
    with default_storage.open(path, "rb") as stored:
        content = stored.read()
    try:
        rows = importing.read_table(token, content)
        result = importing.apply_import(
            user, rows, send_invitations=request.POST.get("send_invitations") == "on"
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("desk:setup-import")
    default_storage.delete(path)
    messages.success(
        request,
        _(
            "Imported: %(companies)s companies, %(sites)s new sites, %(created)s new contacts and "
            "%(updated)s updated; %(invited)s invitations sent."
        )
        % {
            "companies": result.companies,
            "sites": result.sites,
            "created": result.contacts_created,
            "updated": result.contacts_updated,
            "invited": result.invited,
        },
    )
    return redirect("desk:setup-import")


@login_required
@require_safe
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    setup_user(request)
    headers, rows = importing.template_rows()
    if kind == "xlsx":
        widths = {index: max(14.0, len(header) + 4.0) for index, header in enumerate(headers)}
        return exports.xlsx_response("plantilla-importacion.xlsx", "Contactos", headers, rows, widths=widths)
    if kind == "csv":
        return exports.csv_response("plantilla-importacion.csv", headers, rows)
    raise Http404
