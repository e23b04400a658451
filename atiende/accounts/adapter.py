from __future__ import annotations

from typing import Any
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from atiende.outbox.outbox import Recipient, enqueue


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Accounts are issued by the provider, never self-registered. The password-reset
    email is one of ours: our layout, the provider's name and the configured address
    (never the host a request happened to use), sent through the outbox."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.ATIENDE_BASE_URL + path.replace("UID-KEY", quote(key))

    def send_password_reset_mail(self, user: Any, email: str, context: dict[str, Any]) -> None:
        enqueue(
            "password_reset",
            Recipient(email, getattr(user, "language", "") or settings.LANGUAGE_CODE),
            {
                "user": user,
                "link": context["password_reset_url"],
                "site_name": settings.ATIENDE_PROVIDER_NAME,
                "site": settings.ATIENDE_BASE_URL,
                "login": settings.ATIENDE_BASE_URL + reverse("account_login"),
            },
            kind="password_reset",
        )
