"""Making and revoking API tokens. Like the domain actions, each function takes the actor
first and raises `NotAllowed` / `InvalidValue` worded for the person.

A token reads `atd_<prefix>_<secret>`: the prefix finds the row, the secret is checked
against its SHA-256 in constant time. The full token is returned once, by `create_token`
and `create_service_token`, and never stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from atiende.accounts.models import Agent, AgentRole, User
from atiende.api.models import ApiToken, Scope, TokenKind
from atiende.errors import InvalidValue, NotAllowed
from atiende.tickets import access

TOKEN_MARK = "atd"  # noqa: S105 - the visible mark of our tokens, not a secret
PREFIX_LENGTH = 10
SECRET_LENGTH = 40
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
_SECRET_ALPHABET = string.ascii_letters + string.digits


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str
    """The whole `atd_<prefix>_<secret>` value: show it once."""


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(token: ApiToken, secret: str) -> bool:
    return hmac.compare_digest(token.secret_hash, hash_secret(secret))


def split_token(value: str) -> tuple[str, str] | None:
    """`atd_<prefix>_<secret>` → (prefix, secret), or None when it is not shaped so."""
    parts = value.split("_")
    if len(parts) != 3 or parts[0] != TOKEN_MARK:
        return None
    prefix, secret = parts[1], parts[2]
    if len(prefix) != PREFIX_LENGTH or not secret or not prefix.isalnum() or not secret.isalnum():
        return None
    return prefix, secret


def may_hold_tokens(user: User) -> bool:
    return user.is_active and (
        access.active_agent(user) is not None or access.active_contact(user) is not None
    )


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(owner=user, kind=TokenKind.PERSONAL)


def _issue(
    owner: User, *, name: str, scope: str, expires_at: datetime | None, kind: str, by: User
) -> IssuedToken:
    name = name.strip()
    if not name:
        raise InvalidValue("name", _("Give the token a name, so you know later what uses it."))
    if len(name) > 100:
        raise InvalidValue("name", _("The name may have at most 100 characters."))
    if scope not in Scope.values:
        raise InvalidValue("scope", _("Choose read or read and write."))
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidValue("expires_at", _("The expiry date must be in the future."))
    secret = "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(SECRET_LENGTH))
    while True:
        prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    token = ApiToken.objects.create(
        owner=owner,
        name=name,
        scope=scope,
        kind=kind,
        created_by=by,
        expires_at=expires_at,
        prefix=prefix,
        secret_hash=hash_secret(secret),
    )
    return IssuedToken(token=token, secret=f"{TOKEN_MARK}_{prefix}_{secret}")


def create_token(
    actor: User, *, name: str, scope: str = Scope.READ, expires_at: datetime | None = None
) -> IssuedToken:
    """The person gets a new personal token acting as themselves, shown once."""
    if not may_hold_tokens(actor):
        raise NotAllowed()
    return _issue(actor, name=name, scope=scope, expires_at=expires_at, kind=TokenKind.PERSONAL, by=actor)


def may_issue_service_tokens(user: User) -> bool:
    """Administrators of the help desk, and the configuration site's superusers."""
    return access.is_admin(user) or (user.is_active and user.is_superuser)


def create_service_token(
    actor: User, integration: User, *, name: str, scope: str = Scope.WRITE, expires_at: datetime | None = None
) -> IssuedToken:
    """An administrator gives an integration user (an agent who never signs in) a token."""
    if not may_issue_service_tokens(actor):
        raise NotAllowed()
    if access.active_agent(integration) is None:
        raise InvalidValue(
            "owner", _("A service token acts as an active agent: choose an integration agent.")
        )
    return _issue(
        integration, name=name, scope=scope, expires_at=expires_at, kind=TokenKind.SERVICE, by=actor
    )


@transaction.atomic
def create_integration_user(actor: User, *, name: str, email: str, role: str = AgentRole.AGENT) -> User:
    """A named agent for an integration to act as: no password, so it only ever acts
    through service tokens; its queues (or a supervisor role) decide what it sees."""
    if not may_issue_service_tokens(actor):
        raise NotAllowed()
    if User.objects.filter(email__iexact=email).exists():
        raise InvalidValue("email", _("A user with this email already exists."))
    user = User.objects.create_user(email=email, password=None, full_name=name)
    Agent.objects.create(user=user, role=role, email_notifications=False, is_integration=True)
    return user


def revoke_token(actor: User, token: ApiToken) -> None:
    """The token stops working at once; it stays listed as revoked."""
    if token.owner_id != actor.pk and not access.is_admin(actor):
        raise NotAllowed()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def get_token_for_owner(user: User, pk: int) -> ApiToken:
    """The user's own personal token, else `ApiToken.DoesNotExist` (a 404 to the views)."""
    return tokens_of(user).get(pk=pk)
