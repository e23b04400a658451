"""Reads of the ratings shared by the portal, the desk and the daily figures."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, When
from django.utils import timezone

from atiende.rollups.models import DIMENSIONS
from atiende.satisfaction import links
from atiende.satisfaction.models import FACES, Rating, Score, window_end
from atiende.tickets.models import StatusKind, Ticket
from atiende.tickets.related import Related

RATING_DIMENSIONS = tuple(f"ticket__{name}" for name in DIMENSIONS)


RATING = Related("rating", lambda ticket: Rating.objects.filter(ticket=ticket))


def rating_of(ticket: Ticket) -> Rating | None:
    if RATING.absent(ticket):
        return None
    return Rating.objects.filter(ticket=ticket).select_related("rated_by").first()


@dataclass(frozen=True)
class Face:
    score: str
    emoji: str
    label: str
    url: str


def faces(ticket: Ticket) -> list[Face]:
    """The three faces with their one-click links (the rating page, face chosen)."""
    return [
        Face(score, FACES[score], str(Score(score).label), links.url_for(ticket, score))
        for score in (Score.BAD, Score.NEUTRAL, Score.GOOD)
    ]


@dataclass(frozen=True)
class RequesterView:
    """What the requester's ticket page shows of satisfaction."""

    rating: Rating | None
    faces: list[Face]  # empty when the resolution can no longer be rated
    open_until: datetime.datetime | None
    path: str = ""  # the rating page, no face chosen


def for_requester(ticket: Ticket) -> RequesterView:
    rating = rating_of(ticket)
    resolved = ticket.status.kind == StatusKind.RESOLVED and ticket.resolved_at is not None
    if resolved and ticket.resolved_at is not None and timezone.now() <= window_end(ticket.resolved_at):
        return RequesterView(rating, faces(ticket), window_end(ticket.resolved_at), links.path_for(ticket))
    return RequesterView(rating, [], None)


def counts_between(start: datetime.datetime, end: datetime.datetime) -> Iterator[tuple[tuple[Any, ...], str]]:
    """The ratings first given in [start, end), with their current face, keyed by the rated
    ticket's properties in the order of the rollups' DIMENSIONS."""
    rows = Rating.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
        *RATING_DIMENSIONS, "score"
    )
    for *key, score in rows.iterator():
        yield tuple(key), score


def ticket_for_link(grant: links.Grant) -> Ticket | None:
    """The ticket a rating link names, while the person it was sent to still requests it."""
    return (
        Ticket.objects.filter(pk=grant.ticket_id, requester_id=grant.contact_id)
        .select_related("status", "requester__user", "organization")
        .first()
    )


COMMENTS_SHOWN = 10


def _day_start(day: datetime.date) -> datetime.datetime:
    """A local day's first instant, in the installation's zone (the days of the reports)."""
    return datetime.datetime.combine(day, datetime.time(), ZoneInfo(settings.TIME_ZONE))


def comments_between(
    first: datetime.date, last: datetime.date, ticket_filters: dict[str, Any]
) -> list[Rating]:
    """The latest ratings with a comment first given from `first` to `last` (local days),
    on the tickets the filters keep (`ticket__<column>` lookups), unsatisfied ones first."""
    start, end = _day_start(first), _day_start(last + datetime.timedelta(days=1))
    rows = Rating.objects.filter(created_at__gte=start, created_at__lt=end, **ticket_filters).exclude(
        comment=""
    )
    return list(
        rows.select_related("ticket__organization", "rated_by").order_by(
            Case(When(score=Score.BAD, then=0), When(score=Score.NEUTRAL, then=1), default=2),
            "-created_at",
        )[:COMMENTS_SHOWN]
    )
