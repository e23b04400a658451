"""Alert sources: their secret tokens and the integration user each one acts as.

A token is shown once, when made; only its SHA-256 is kept. The integration user is an
agent of the source's queue who cannot sign in (no usable password, no email to it), so
the tickets, notes and stage changes an alert causes go through the same actions as an
engineer's and the history names the integration.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from atiende.accounts.models import Agent, AgentRole, User
from atiende.monitoring.models import AlertSource

TOKEN_PREFIX = "alrt_"  # noqa: S105 (a prefix that makes leaked tokens recognisable)
INTEGRATION_EMAIL_DOMAIN = "integrations.invalid"
# Compared against when the source does not exist, so a wrong id takes as long as a wrong token.
_NOBODY = hashlib.sha256(b"no such alert source").hexdigest()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(source: AlertSource) -> str:
    """A fresh secret for the source (the old one stops working once saved); shown once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    source.token_hash = hash_token(token)
    return token


@transaction.atomic
def save_source(source: AlertSource) -> str:
    """Save a source made or changed by an administrator. A new one gets its token (returned,
    to show once) and its integration user; a source moved to another queue takes its user
    along (the old queue keeps it too, so the tickets opened there can still be noted and
    resolved)."""
    token = ""
    if source.pk is None:
        token = new_token(source)
        source.actor = _integration_user(source.name)
    source.save()
    agent = Agent.objects.get(user=source.actor)
    source.queue.agents.add(agent)
    return token


def authenticate(source_id: int, token: str) -> AlertSource | None:
    """The source when the token is its own; None otherwise, in constant time."""
    source = (
        AlertSource.objects.select_related("actor", "queue", "organization", "requester")
        .filter(pk=source_id)
        .first()
    )
    matches = hmac.compare_digest(hash_token(token), source.token_hash if source else _NOBODY)
    return source if source is not None and matches else None


def _integration_user(name: str) -> User:
    with translation.override(settings.LANGUAGE_CODE):
        full_name = _("Integration %(name)s") % {"name": name}
    user = User.objects.create_user(
        email=f"alerts-{uuid.uuid4().hex[:16]}@{INTEGRATION_EMAIL_DOMAIN}",
        password=None,
        full_name=full_name[:150],
    )
    Agent.objects.create(user=user, role=AgentRole.AGENT, email_notifications=False, is_integration=True)
    return user


def alertmanager_config(url: str, token: str) -> str:
    """The receiver and route to paste into alertmanager.yml (the tests run Alertmanager on
    exactly this)."""
    return ALERTMANAGER_CONFIG.format(url=url, token=token)


ALERTMANAGER_CONFIG = """\
route:
  receiver: atiende
  group_by: [alertname, instance]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: atiende
    webhook_configs:
      - url: "{url}"
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: "{token}"
"""
