"""What a token's scope allows: a read token only reads (safe methods); a write token does
everything its owner may. The session (the browser) is not limited by scope."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from atiende.api.models import ApiToken, Scope


class TokenScope(BasePermission):
    message = _("This token may only read: create a token with read and write access to make changes.")
    code = "read_only_token"

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        needed = Scope.READ if request.method in SAFE_METHODS else Scope.WRITE
        return needed in token.scopes
