"""What every page needs to draw the portal's navigation for a signed-in contact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from atiende.accounts.models import User
from atiende.portal.company import belonging, standings
from atiende.tickets.access import active_agent, active_contact
from atiende.tickets.attachments import ALLOWED_EXTENSIONS


@dataclass(frozen=True)
class SupportChannels:
    phone: str
    whatsapp: str
    email: str

    @property
    def whatsapp_link(self) -> str:
        digits = "".join(ch for ch in self.whatsapp if ch.isdigit())
        return f"https://wa.me/{digits}" if digits else ""


def support_channels() -> SupportChannels:
    return SupportChannels(
        settings.ATIENDE_SUPPORT_PHONE, settings.ATIENDE_SUPPORT_WHATSAPP, settings.ATIENDE_SUPPORT_EMAIL
    )


def _role(user: Any) -> str:
    if not isinstance(user, User) or not user.is_authenticated:
        return ""
    if active_agent(user) is not None:
        return "agent"
    return "contact" if active_contact(user) is not None else ""


def _sees_company(request: HttpRequest, user: Any) -> bool:
    # The portal's pages have read the contact's companies already (portal/company.py).
    return isinstance(user, User) and any(standing.sees_company for standing in standings(request, user))


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_role": SimpleLazyObject(lambda: _role(user)),
        "nav_sees_company": SimpleLazyObject(lambda: _sees_company(request, user)),
        "nav_sees_billing": SimpleLazyObject(
            lambda: isinstance(user, User) and belonging(request, user).sees_billing
        ),
        "support": support_channels(),
        "max_attachment_mb": settings.ATIENDE_MAX_ATTACHMENT_MB,
        "max_attachment_bytes": settings.ATIENDE_MAX_ATTACHMENT_MB * 1024 * 1024,
        "max_attachments_total_bytes": settings.ATIENDE_MAX_ATTACHMENTS_TOTAL_MB * 1024 * 1024,
        "accepted_extensions": " ".join(sorted(ALLOWED_EXTENSIONS)),
    }
