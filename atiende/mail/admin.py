"""Mail in, for administrators: the mailboxes polled, and what arrived (quarantine included).

Incoming mail is never edited or deleted here: a quarantined message is retried (after the
cause was fixed: the sender became a contact, a queue was opened) or discarded, and its raw
message can be downloaded to look at it in a mail program.
"""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from atiende.mail import inbound
from atiende.mail.imap import poll_mailboxes
from atiende.mail.models import InboundEmail, InboundStatus, Mailbox, MailboxAuth

SECRET_FIELDS = ("password", "oauth_client_secret", "oauth_refresh_token")
SHOWN_HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "In-Reply-To", "References")
PREVIEW_CHARACTERS = 3000


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")  # Django 6's default, today
    return field.formfield(**kwargs)


class MailboxForm(forms.ModelForm):
    """Secrets are typed, never shown again; left empty, the stored one is kept."""

    class Meta:
        model = Mailbox
        formfield_callback = _formfield
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose and order them)
        widgets = {name: forms.PasswordInput(render_value=False) for name in SECRET_FIELDS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SECRET_FIELDS:
            if self.instance.pk and getattr(self.instance, name):
                self.fields[name].help_text = _("Stored. Leave empty to keep it, or type a new one.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in SECRET_FIELDS:
            if not cleaned.get(name) and self.instance.pk:
                cleaned[name] = getattr(self.instance, name)
        if cleaned.get("auth") == MailboxAuth.XOAUTH2:
            for name in ("oauth_token_url", "oauth_refresh_token"):
                if not cleaned.get(name):
                    self.add_error(name, _("OAuth 2 sign-in needs this."))
        elif not cleaned.get("password"):
            self.add_error("password", _("Password sign-in needs the password."))
        return cleaned


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    """The IMAP mailboxes polled for new mail, with how the last poll went."""

    form = MailboxForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "username", "host", "queue", "is_active", "last_polled_at", "state"]
    list_filter = ["is_active", "queue"]
    search_fields = ["name", "username", "host"]
    readonly_fields = ["last_polled_at", "last_error", "oauth_expires_at"]
    actions = ["poll_now"]
    fieldsets = [
        (None, {"fields": ["name", "queue", "is_active"]}),
        (_("Server"), {"fields": ["host", "port", "security", "folder", "move_to"]}),
        (_("Sign-in"), {"fields": ["auth", "username", "password"]}),
        (
            _("OAuth 2 (Microsoft 365, Google Workspace)"),
            {
                "fields": [
                    "oauth_token_url",
                    "oauth_client_id",
                    "oauth_client_secret",
                    "oauth_scope",
                    "oauth_refresh_token",
                    "oauth_expires_at",
                ]
            },
        ),
        (_("Last poll"), {"fields": ["last_polled_at", "last_error"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Mailbox]:
        return super().get_queryset(request).select_related("queue")

    @admin.display(description=_("state"))
    def state(self, mailbox: Mailbox) -> str:
        if mailbox.last_polled_at is None:
            return gettext("not polled yet")
        return mailbox.last_error[:120] if mailbox.last_error else gettext("OK")

    @admin.action(description=_("Poll now"), permissions=["change"])
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Mailbox]) -> None:
        inactive = [mailbox.name for mailbox in queryset if not mailbox.is_active]
        if inactive:
            self.message_user(
                request,
                gettext("Not polled, inactive: %(names)s.") % {"names": ", ".join(inactive)},
                messages.WARNING,
            )
        for result in poll_mailboxes(queryset.filter(is_active=True)):
            counts = {
                "mailbox": result.mailbox,
                "fetched": result.fetched,
                "new": result.new,
                "errors": result.errors,
            }
            if result.busy:
                self.message_user(
                    request,
                    gettext("%(mailbox)s is being polled already.") % {"mailbox": result.mailbox},
                    messages.WARNING,
                )
            elif result.error:
                self.message_user(
                    request,
                    gettext("%(mailbox)s could not be polled: %(error)s")
                    % {"mailbox": result.mailbox, "error": result.error},
                    messages.ERROR,
                )
            elif result.errors:
                self.message_user(
                    request,
                    gettext(
                        "%(mailbox)s: %(fetched)d fetched, %(new)d new, %(errors)d left for the next "
                        "poll: %(problems)s"
                    )
                    % {**counts, "problems": "; ".join(result.problems[:3])},
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    gettext("%(mailbox)s: %(fetched)d fetched, %(new)d new.") % counts,
                    messages.SUCCESS,
                )


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    """What arrived and what became of it; quarantined messages show why, and can be retried."""

    list_display = ["received_at", "sender", "source", "status", "outcome", "ticket_number", "size"]
    list_filter = ["status", "mailbox", "source", "received_at"]
    search_fields = ["sender", "message_id", "outcome"]
    date_hierarchy = "received_at"
    actions = ["retry_selected", "discard_selected"]
    fields = [
        "received_at",
        "status",
        "outcome",
        "error",
        "ticket",
        "source",
        "mailbox",
        "sender",
        "size",
        "headers",
        "body_preview",
        "raw_download",
    ]
    readonly_fields = ["ticket", "headers", "body_preview", "raw_download"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[InboundEmail]:
        queryset = super().get_queryset(request).select_related("mailbox")
        # Lists never need the raw bytes (up to the size limit each); the detail page loads them.
        return queryset.defer("raw")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # nothing received is lost: discard instead

    def has_handle_permission(self, request: HttpRequest) -> bool:
        """Retry and discard: for those who may change incoming mail (the records stay)."""
        return request.user.has_perm("mail.change_inboundemail")

    # -- what the detail page shows --

    @admin.display(description=_("ticket"))
    def ticket(self, record: InboundEmail) -> str:
        if record.ticket_number is None:
            return "—"
        url = reverse("desk:ticket", args=[record.ticket_number])
        return format_html('<a href="{}">#{}</a>', url, record.ticket_number)

    @admin.display(description=_("headers"))
    def headers(self, record: InboundEmail) -> str:
        parsed = BytesParser(policy=policy.default).parsebytes(bytes(record.raw), headersonly=True)
        lines = []
        for name in SHOWN_HEADERS:
            for value in parsed.get_all(name, []):
                try:
                    text = str(value)
                except Exception:  # a header the parser cannot decode: show it as it came
                    text = repr(value)
                lines.append(f"{name}: {' '.join(text.split())}")
        return "\n".join(lines) or gettext("(no headers)")

    @admin.display(description=_("text"))
    def body_preview(self, record: InboundEmail) -> str:
        try:
            message = BytesParser(policy=policy.default).parsebytes(bytes(record.raw))
            body = message.get_body(preferencelist=("plain", "html"))
            text = str(body.get_content()) if body is not None else ""
        except Exception as error:  # malformed mail is what quarantine is for: say so, show nothing
            return gettext("The text cannot be read: %(error)s") % {"error": error}
        if len(text) > PREVIEW_CHARACTERS:
            text = text[:PREVIEW_CHARACTERS] + "…"
        return text.strip() or "—"

    @admin.display(description=_("raw message"))
    def raw_download(self, record: InboundEmail) -> str:
        url = reverse("admin:mail_inboundemail_raw", args=[record.pk])
        return format_html('<a href="{}" download>{}</a>', url, gettext("Download (.eml)"))

    # -- the raw message, for staff who may see incoming mail --

    def get_urls(self) -> list[URLPattern]:
        raw = path(
            "<int:pk>/raw/",
            self.admin_site.admin_view(self.raw_message),
            name="mail_inboundemail_raw",
        )
        return [raw, *super().get_urls()]

    def raw_message(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        record = get_object_or_404(InboundEmail, pk=pk)
        return HttpResponse(
            bytes(record.raw),
            content_type="message/rfc822",
            headers={"Content-Disposition": content_disposition_header(True, f"incoming-{record.pk}.eml")},
        )

    # -- quarantine --

    @admin.action(description=_("Retry the selected messages"), permissions=["handle"])
    def retry_selected(self, request: HttpRequest, queryset: QuerySet[InboundEmail]) -> None:
        skipped = 0
        for record in queryset.order_by("received_at"):
            if record.status not in {InboundStatus.QUARANTINED, InboundStatus.RECEIVED}:
                skipped += 1
                continue
            outcome = inbound.retry(record)
            level = messages.SUCCESS if outcome.status == InboundStatus.PROCESSED else messages.WARNING
            self.message_user(
                request,
                gettext("%(message)s: %(outcome)s")
                % {"message": record.message_id or record.sender or record.pk, "outcome": outcome.text},
                level,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message was already processed or discarded and was left as it was.",
                    "%(count)d messages were already processed or discarded and were left as they were.",
                    skipped,
                )
                % {"count": skipped},
                messages.INFO,
            )

    @admin.action(description=_("Discard the selected messages"), permissions=["handle"])
    def discard_selected(self, request: HttpRequest, queryset: QuerySet[InboundEmail]) -> None:
        discarded = 0
        for record in queryset:
            if record.status == InboundStatus.QUARANTINED:
                inbound.discard(record)
                discarded += 1
        left = queryset.count() - discarded
        self.message_user(
            request,
            ngettext(
                "%(count)d quarantined message discarded; it stays stored.",
                "%(count)d quarantined messages discarded; they stay stored.",
                discarded,
            )
            % {"count": discarded},
            messages.SUCCESS if discarded else messages.WARNING,
        )
        if left:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message was not in quarantine and was left as it was.",
                    "%(count)d messages were not in quarantine and were left as they were.",
                    left,
                )
                % {"count": left},
                messages.INFO,
            )
