"""Service tokens in the configuration site: an administrator gives an integration (the
billing system, a chat bot) a token acting as a named integration user — an agent without
a password, whose queues or role bound what it sees. The secret is shown once, on the page
that answers the creation. Tokens are revoked, never edited or deleted, so the list keeps
who had access."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from atiende.accounts.auth import signed_in_user
from atiende.accounts.models import AgentRole, User
from atiende.api import tokens
from atiende.api.models import ApiToken


class ServiceTokenForm(forms.ModelForm):
    integration = forms.ModelChoiceField(
        User.objects.filter(agent__isnull=False, is_active=True).order_by("email"),
        label=_("Integration user"),
        required=False,
        help_text=_("An existing agent to act as. Leave empty to create a new integration user below."),
    )
    integration_name = forms.CharField(label=_("New integration user: name"), required=False, max_length=150)
    integration_email = forms.EmailField(
        label=_("New integration user: email"),
        required=False,
        help_text=_("Any unique address, e.g. facturacion@integraciones.atiende.test. It never signs in."),
    )
    integration_role = forms.ChoiceField(
        label=_("New integration user: role"),
        choices=AgentRole.choices,
        initial=AgentRole.AGENT,
        help_text=_("An agent sees the queues you add it to; a supervisor sees every queue."),
    )

    class Meta:
        model = ApiToken
        fields = ["name", "scope", "expires_at"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("integration") and not (
            data.get("integration_name") and data.get("integration_email")
        ):
            raise forms.ValidationError(
                gettext("Choose an integration user or give the new one a name and an email.")
            )
        email = data.get("integration_email")
        if not data.get("integration") and email and User.objects.filter(email__iexact=email).exists():
            self.add_error("integration_email", gettext("A user with this email already exists."))
        expires_at = data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now():
            self.add_error("expires_at", gettext("The expiry date must be in the future."))
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "owner",
        "kind",
        "scope",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["kind", "scope"]
    search_fields = ["name", "prefix", "owner__email"]
    readonly_fields = [
        "name",
        "owner",
        "kind",
        "scope",
        "prefix",
        "created_by",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    def get_form(
        self, request: HttpRequest, obj: ApiToken | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = ServiceTokenForm
            kwargs["fields"] = [
                "name",
                "scope",
                "expires_at",
                "integration",
                "integration_name",
                "integration_email",
                "integration_role",
            ]
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        return self.readonly_fields if obj is not None else []

    def get_fieldsets(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        if obj is None:
            return [(None, {"fields": self.get_form(request).base_fields})]
        return [(None, {"fields": self.readonly_fields})]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and tokens.may_issue_service_tokens(
            signed_in_user(request)
        )

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        actor = signed_in_user(request)
        data = form.cleaned_data
        integration = data.get("integration") or tokens.create_integration_user(
            actor,
            name=data["integration_name"],
            email=data["integration_email"],
            role=data["integration_role"],
        )
        issued = tokens.create_service_token(
            actor, integration, name=data["name"], scope=data["scope"], expires_at=data.get("expires_at")
        )
        obj.pk = issued.token.pk
        obj._issued_secret = issued.secret  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        token = ApiToken.objects.select_related("owner").get(pk=obj.pk)
        response = render(
            request,
            "api/admin_token_created.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Service token created"),
                "token": token,
                "secret": getattr(obj, "_issued_secret", ""),
                "opts": self.model._meta,
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor = signed_in_user(request)
        for token in queryset:
            tokens.revoke_token(actor, token)
        self.message_user(request, gettext("Revoked."), messages.SUCCESS)
