"""Agents' own records on a ticket: time spent and what they have seen."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.expressions import BaseExpression
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from atiende.accounts.models import User
from atiende.billing import banks, locks
from atiende.tickets import access, freshness, notify
from atiende.tickets.actions.core import _record
from atiende.tickets.effects import TicketEvent, after_commit
from atiende.tickets.exceptions import InvalidValue, NotAllowed
from atiende.tickets.models import CannedReply, Channel, Ticket, TicketSeen, TimeEntry

MAX_MINUTES = 24 * 60
# A browser's clock may run a little ahead of the server's.
CLOCK_SKEW = datetime.timedelta(minutes=5)


def add_time_entry(
    actor: User,
    ticket: Ticket,
    *,
    minutes: int,
    billable: bool = True,
    note: str = "",
    work_date: datetime.date | None = None,
    started_at: datetime.datetime | None = None,
    channel: Channel = Channel.WEB,
) -> TimeEntry:
    """Record time spent (closed tickets too: billing often comes after closing). Time not
    billed says why in its note. `started_at` is when a timer started, so billing can tell
    the part worked after hours. Crossing 80 % or 100 % of an hour bank tells its people."""
    agent = access.active_agent(actor)
    if agent is None or not access.can_work(actor, ticket):
        raise NotAllowed(_("Only agents working this ticket can record time on it."))
    if not 0 < minutes <= MAX_MINUTES:
        raise InvalidValue("minutes", _("Write the minutes spent, from 1 to %(max)s.") % {"max": MAX_MINUTES})
    note = note.strip()
    if not billable and not note:
        raise InvalidValue("note", _("Say why this time is not billable (e.g. warranty, our own mistake)."))
    day = work_date or timezone.localdate()
    if day > timezone.localdate():
        raise InvalidValue("work_date", _("Time cannot be recorded for a future day."))
    if started_at is not None and (
        started_at > timezone.now() + CLOCK_SKEW or abs((timezone.localdate(started_at) - day).days) > 1
    ):
        # A start in the future, or far from the day the time is recorded for.
        raise InvalidValue("minutes", _("The timer's start is not valid: record the minutes by hand."))
    with transaction.atomic():
        _refuse_billed_month(ticket, day)
        entry = TimeEntry.objects.create(
            ticket=ticket,
            agent=actor,
            minutes=minutes,
            billable=billable,
            note=note[:300],
            work_date=day,
            started_at=started_at,
        )
        label = _("billable") if billable else _("not billable")
        _record(ticket, actor, channel, "time", "time", new_value=f"{minutes} min ({label})")
        if billable and ticket.contract is not None:
            banks.check_bank_alerts(ticket.contract, day)
    after_commit(TicketEvent("time", ticket.pk, actor.pk, channel))
    return entry


def _refuse_billed_month(ticket: Ticket, day: datetime.date) -> None:
    """A month on an issued statement is closed: its time no longer changes (a correction
    is an adjustment on the next statement)."""
    statement = locks.closing_statement(ticket.organization_id, ticket.contract_id, day)
    if statement is not None:
        raise InvalidValue(
            "work_date",
            _(
                "The time of %(month)s was billed on statement %(number)s and is closed. Record it "
                "on a later day, or ask a supervisor for an adjustment on the next statement."
            )
            % {"month": formats.date_format(day, "YEAR_MONTH_FORMAT"), "number": statement.number},
        )


@dataclass(frozen=True)
class LastSeen:
    """When this person last saw the ticket, read with the ticket (`tickets.related`), so
    that `mark_seen` needs no statement of its own."""

    user_id: int

    @property
    def attribute(self) -> str:
        return f"seen_by_{self.user_id}"

    def column(self) -> BaseExpression:
        seen = TicketSeen.objects.filter(user_id=self.user_id, ticket=OuterRef("pk")).values("seen_at")[:1]
        return Subquery(seen)


def mark_seen(user: User, ticket: Ticket) -> None:
    """Remember that this person has seen the ticket as it is now. Seeing it again when
    nothing happened since writes nothing: reading a page should not cost a write."""
    asked = LastSeen(user.pk).attribute
    if asked in ticket.__dict__:
        seen_at = ticket.__dict__[asked]
    else:
        seen_at = (
            TicketSeen.objects.filter(user=user, ticket=ticket).values_list("seen_at", flat=True).first()
        )
    if seen_at is not None and seen_at >= ticket.last_activity_at:
        return
    TicketSeen.objects.update_or_create(user=user, ticket=ticket, defaults={"seen_at": timezone.now()})
    freshness.touch_seen(user.pk)  # the row no longer stands out in their inbox


def render_canned_reply(reply: CannedReply, ticket: Ticket, agent: User) -> str:
    """The reply's text with its placeholders filled in; unknown ones are left as written."""
    requester = ticket.requester.user
    values = {
        "requester_name": requester.get_full_name(),
        "requester_first_name": requester.get_short_name(),
        "ticket_number": f"#{ticket.number}",
        "subject": ticket.subject,
        "company": ticket.organization.name,
        "agent_name": agent.get_full_name(),
        "portal_link": notify.portal_link(ticket),
        "site": settings.ATIENDE_BASE_URL,
    }
    return _fill(reply.body, values)


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text
