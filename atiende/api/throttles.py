"""Requests per token (or per signed-in user, or per address for the anonymous), counted in
the shared cache so every web server counts together. `ATIENDE_API_RATE` sets the rate
("600/min"); the answer past it is a 429 problem with Retry-After."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from atiende.api.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self) -> str | None:
        # Read when the throttle is made, once per request (DRF reads its rates at import).
        rate: str | None = getattr(settings, "ATIENDE_API_RATE", None)
        return rate

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
