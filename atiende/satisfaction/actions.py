"""Rating a resolution: the one function every rating goes through (the emailed link and
the portal's ticket page both land on it)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from atiende.accounts.models import User
from atiende.errors import DomainError, InvalidValue, NotAllowed
from atiende.rollups.compute import roll_up_day
from atiende.satisfaction import notices
from atiende.satisfaction.links import same_moment
from atiende.satisfaction.models import COMMENT_MAX_LENGTH, Rating, Score, window_end
from atiende.tickets import ledger
from atiende.tickets.models import Channel, StatusKind, Ticket


class RatingClosed(DomainError):
    """The resolution can no longer be rated: the message says why, for the requester."""


def _refusal(ticket: Ticket, resolution: datetime.datetime, now: datetime.datetime) -> str | None:
    if ticket.is_closed:
        return _("Ticket #%(number)s is closed, so its rating can no longer be given or changed.") % {
            "number": ticket.number
        }
    if ticket.status.kind != StatusKind.RESOLVED:
        return _(
            "Ticket #%(number)s was reopened and we are working on it again. You will be able to "
            "rate it when it is resolved."
        ) % {"number": ticket.number}
    if not same_moment(ticket.resolved_at, resolution):
        return _(
            "This link belongs to an earlier resolution of ticket #%(number)s. Use the link in "
            "the latest email about it."
        ) % {"number": ticket.number}
    if now > window_end(resolution):
        return _("The time to rate ticket #%(number)s has passed (%(days)s days after it was resolved).") % {
            "number": ticket.number,
            "days": settings.ATIENDE_CSAT_CHANGE_DAYS,
        }
    return None


def refusal(ticket: Ticket, resolution: datetime.datetime) -> str | None:
    """Why this resolution cannot be rated now, in the reader's words; None when it can."""
    return _refusal(ticket, resolution, timezone.now())


def _history_words(score: str) -> str:
    # History keeps the installation's language, whoever rated.
    with translation.override(settings.LANGUAGE_CODE):
        return str(Score(score).label)


def rate_ticket(
    actor: User,
    ticket: Ticket,
    *,
    score: str,
    comment: str = "",
    resolution: datetime.datetime,
    channel: Channel = Channel.WEB,
    now: datetime.datetime | None = None,
) -> Rating:
    """The requester rates the resolution (`resolution`, the moment their link names) with a
    face and an optional comment, or changes what they said while the window is open. The
    engineers see it on the ticket; an unsatisfied rating tells the queue's supervisors.
    `now` is the moment of the rating when history is replayed (the demo); else the present."""
    if score not in Score.values:
        raise InvalidValue("score", _("Choose one of the three faces."))
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise InvalidValue(
            "comment", _("The comment is limited to %(max)s characters.") % {"max": COMMENT_MAX_LENGTH}
        )
    with transaction.atomic():
        # The ticket's row lock: the rating and its history event follow any change in flight.
        Ticket.objects.select_for_update().filter(pk=ticket.pk).values_list("pk", flat=True).get()
        ticket.refresh_from_db()
        if not (actor.is_active and ticket.requester.user_id == actor.pk):
            raise NotAllowed(_("Only the person who made the request can rate it."))
        now = now or timezone.now()
        reason = _refusal(ticket, resolution, now)
        if reason is not None:
            raise RatingClosed(reason)
        rating = Rating.objects.select_for_update().filter(ticket=ticket).first()
        before = rating.score if rating is not None else ""
        unchanged = rating is not None and (rating.score, rating.comment) == (score, comment)
        if unchanged and rating is not None and same_moment(rating.resolved_at, resolution):
            return rating  # sent twice: nothing new to seal
        if rating is None:
            rating = Rating(ticket=ticket, created_at=now)
        elif not same_moment(rating.resolved_at, resolution):
            before = ""  # a new resolution is rated afresh
        rating.rated_by, rating.score, rating.comment = actor, score, comment
        rating.resolved_at, rating.updated_at = resolution, now
        rating.save()
        event = ledger.append(
            ticket,
            actor=actor,
            channel=channel,
            action="rated",
            field="rating",
            old_value=_history_words(before) if before else "",
            new_value=_history_words(score),
            seal={"rating": {"score": score, "comment": comment, "resolution": ledger.utc_iso(resolution)}},
        )
        if rating.is_low and before != Score.BAD:
            notices.low_rating(ticket, rating, event_id=event.pk)
        _recount_later(rating.created_at)
    return rating


def _recount_later(first_rated: datetime.datetime) -> None:
    """A rating counts on the day it was first given; the periodic job recounts today and
    yesterday, so a change to an older day's rating recounts that day itself."""
    day = timezone.localdate(first_rated)
    if day < timezone.localdate() - datetime.timedelta(days=1):
        transaction.on_commit(lambda: roll_up_day(day))
