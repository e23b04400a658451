"""OAuth 2 access tokens for mailboxes that sign in with XOAUTH2 (Microsoft 365, Google Workspace).

The administrator obtains a refresh token once (the provider's consent flow) and puts it on
the mailbox with the token endpoint, client id and secret. Before each poll we trade the
refresh token for an access token (RFC 6749, section 6) and keep it on the mailbox until a
minute before it expires. Providers may rotate the refresh token: the new one is kept.

The standard library's urllib is enough for one form POST; no HTTP client is in the lock.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit

from django.utils import timezone

from atiende.mail.models import Mailbox

# Refresh this long before the expiry, so a token never runs out in the middle of a poll.
EARLY = timedelta(seconds=60)
DEFAULT_LIFETIME = 3600  # seconds, when the endpoint does not say (`expires_in` is optional)
TIMEOUT = 30


class OAuthError(Exception):
    """The token endpoint could not be reached or refused the refresh; the text says why."""


def access_token(mailbox: Mailbox, *, force_refresh: bool = False) -> str:
    """A valid access token for the mailbox, refreshed when missing, expired or about to expire."""
    now = timezone.now()
    fresh = (
        mailbox.oauth_access_token
        and mailbox.oauth_expires_at is not None
        and mailbox.oauth_expires_at - EARLY > now
    )
    if fresh and not force_refresh:
        return mailbox.oauth_access_token
    return refresh(mailbox, now=now)


def refresh(mailbox: Mailbox, *, now: datetime | None = None) -> str:
    """Trade the refresh token for a new access token and keep both on the mailbox."""
    if not mailbox.oauth_token_url or not mailbox.oauth_refresh_token:
        raise OAuthError("OAuth 2 needs the token endpoint and a refresh token on the mailbox")
    if urlsplit(mailbox.oauth_token_url).scheme not in {"https", "http"}:
        raise OAuthError(f"the token endpoint must be an https URL, not {mailbox.oauth_token_url}")
    form = {"grant_type": "refresh_token", "refresh_token": mailbox.oauth_refresh_token}
    if mailbox.oauth_client_id:
        form["client_id"] = mailbox.oauth_client_id
    if mailbox.oauth_client_secret:
        form["client_secret"] = mailbox.oauth_client_secret
    if mailbox.oauth_scope:
        form["scope"] = mailbox.oauth_scope
    answer = _post(mailbox.oauth_token_url, form)
    token = answer.get("access_token")
    if not isinstance(token, str) or not token:
        raise OAuthError(f"the token endpoint answered without an access token: {_short(answer)}")
    expires_in = answer.get("expires_in", DEFAULT_LIFETIME)
    try:
        lifetime = int(expires_in) if isinstance(expires_in, int | str) else DEFAULT_LIFETIME
    except ValueError:
        lifetime = DEFAULT_LIFETIME
    mailbox.oauth_access_token = token
    mailbox.oauth_expires_at = (now or timezone.now()) + timedelta(seconds=lifetime)
    fields = ["oauth_access_token", "oauth_expires_at"]
    rotated = answer.get("refresh_token")
    if isinstance(rotated, str) and rotated and rotated != mailbox.oauth_refresh_token:
        mailbox.oauth_refresh_token = rotated
        fields.append("oauth_refresh_token")
    if mailbox.pk:
        mailbox.save(update_fields=fields)
    return token


def xoauth2_string(username: str, token: str) -> bytes:
    """The SASL XOAUTH2 initial response (before base64, which imaplib adds)."""
    return f"user={username}\x01auth=Bearer {token}\x01\x01".encode()


def _post(url: str, form: dict[str, str]) -> dict[str, object]:
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above: http or https)
        url,
        data=urlencode(form).encode(),
        headers={"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as error:
        raise OAuthError(
            f"the token endpoint refused the refresh (HTTP {error.code}): {_reason(error.read())}"
        ) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise OAuthError(f"the token endpoint {url} cannot be reached: {reason}") from None
    try:
        answer = json.loads(body)
    except ValueError:
        raise OAuthError(f"the token endpoint did not answer JSON: {body[:200]!r}") from None
    if not isinstance(answer, dict):
        raise OAuthError(f"the token endpoint did not answer a JSON object: {body[:200]!r}")
    return answer


def _reason(body: bytes) -> str:
    """`error: error_description` from an RFC 6749 error answer, or the start of the body."""
    try:
        answer = json.loads(body)
    except ValueError:
        return body[:200].decode(errors="replace") or "(empty answer)"
    if not isinstance(answer, dict):
        return _short(answer)
    parts = [str(answer[key]) for key in ("error", "error_description") if answer.get(key)]
    return ": ".join(parts) or _short(answer)


def _short(value: object) -> str:
    return json.dumps(value)[:200]
