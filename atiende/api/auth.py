"""API token authentication: `Authorization: Bearer atd_<prefix>_<secret>`.

A request with no such header falls through to the session (the browser, with CSRF). A
header that names a token which is malformed, unknown, wrong, expired or revoked, or whose
owner is no longer active, is a 401 problem: an integration learns at once that its
credentials stopped working instead of being treated as anonymous."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from atiende.accounts.models import User
from atiende.api.models import ApiToken
from atiende.api.tokens import may_hold_tokens, secret_matches, split_token

# A GET writes nothing: last use is recorded at most this often per token.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def requested_language(request: Request) -> str | None:
    """The first of our languages the client's Accept-Language names, if any."""
    available = {code for code, _name in settings.LANGUAGES}
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        if code in available:
            return code
    return None


def use_language(request: Request, code: str) -> None:
    # The language middleware wraps the request in translation.override: this lasts
    # until the response is made, then the thread goes back.
    translation.activate(code)
    request.LANGUAGE_CODE = code


class TokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        # The first authenticator runs on every API request before the view: the language
        # is set here so the domain's refusals are worded in it. A program says what it
        # wants with Accept-Language; without it, the person's own language (the session's
        # is already active), else Spanish.
        asked = requested_language(request)
        if asked:
            use_language(request, asked)
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise AuthenticationFailed(
                _("The Authorization header must be: Bearer <token>."), code="token_invalid"
            )
        try:
            value = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("The token is not valid."), code="token_invalid") from None
        return self.authenticate_token(request, value)

    def authenticate_token(self, request: Request, value: str) -> tuple[User, ApiToken]:
        parts = split_token(value)
        if parts is None:
            raise AuthenticationFailed(_("The token is not valid."), code="token_invalid")
        prefix, secret = parts
        token = ApiToken.objects.select_related("owner").filter(prefix=prefix).first()
        if token is None or not secret_matches(token, secret):
            raise AuthenticationFailed(_("The token is not valid."), code="token_invalid")
        if token.is_revoked:
            raise AuthenticationFailed(_("This token has been revoked."), code="token_revoked")
        if token.is_expired:
            raise AuthenticationFailed(_("This token has expired."), code="token_expired")
        if not may_hold_tokens(token.owner):
            raise AuthenticationFailed(_("The token's user is no longer active."), code="user_inactive")
        self._touch(token)
        if requested_language(request) is None:
            use_language(request, token.owner.language or settings.LANGUAGE_CODE)
        return token.owner, token

    def _touch(self, token: ApiToken) -> None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "atiende.api.auth.TokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "atd_<prefix>_<secret>",
            "description": "A personal or service token from the desk, the portal or the admin.",
        }
