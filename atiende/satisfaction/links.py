"""The signed rating link: it names one ticket, its requester and the resolution being
rated, so it works without signing in and for nothing else. It never records a rating by
itself (link scanners open links): the page it opens does, on a POST.

Kept free of model imports so the ticket notices can build links without a cycle."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.urls import reverse

if TYPE_CHECKING:
    from atiende.tickets.models import Ticket

SALT = "atiende.satisfaction.rating-link"
# Tokens longer than this are not ours; refuse them before any cryptography.
MAX_TOKEN_LENGTH = 200
SCORES = ("bad", "neutral", "good")


class BadLink(Exception):
    """The link was not issued by us or was altered."""


class ExpiredLink(Exception):
    """The link is genuine but its rating window has passed."""


@dataclass(frozen=True)
class Grant:
    ticket_id: int
    contact_id: int
    resolved_at: datetime.datetime


def _stamp(moment: datetime.datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


def token_for(ticket: Ticket) -> str:
    """A link for the ticket's current resolution; the ticket must be resolved."""
    if ticket.resolved_at is None:
        raise ValueError("only a resolved ticket can be rated")
    payload = {"t": ticket.pk, "c": ticket.requester_id, "r": _stamp(ticket.resolved_at)}
    return signing.dumps(payload, salt=SALT, compress=False)


def path_for(ticket: Ticket, score: str = "") -> str:
    """The rating page's path, with a face chosen in advance (one click from the email)
    when `score` is given."""
    path = reverse("portal:rating", args=[token_for(ticket)])
    return path + (f"?{urlencode({'face': score})}" if score in SCORES else "")


def url_for(ticket: Ticket, score: str = "") -> str:
    """The rating page's absolute address, for email."""
    return settings.ATIENDE_BASE_URL + path_for(ticket, score)


def read(token: str) -> Grant:
    """What a link grants. Raises BadLink for anything forged or altered and ExpiredLink
    once its window (ATIENDE_CSAT_CHANGE_DAYS from when it was sent) has passed."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise BadLink
    max_age = datetime.timedelta(days=settings.ATIENDE_CSAT_CHANGE_DAYS)
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ExpiredLink from error
    except signing.BadSignature as error:
        raise BadLink from error
    try:
        ticket_id, contact_id, stamp = int(payload["t"]), int(payload["c"]), int(payload["r"])
        resolved_at = datetime.datetime.fromtimestamp(stamp / 1_000_000, tz=datetime.UTC)
    except (KeyError, TypeError, ValueError, OverflowError) as error:
        raise BadLink from error
    return Grant(ticket_id, contact_id, resolved_at)


def same_moment(first: datetime.datetime | None, second: datetime.datetime) -> bool:
    """Whether a ticket's resolution is the one a link names (to the microsecond)."""
    return first is not None and _stamp(first) == _stamp(second)
