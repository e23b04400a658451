"""SLA pieces for the ticket pages: `{% load sla %}` then `{% sla_card ticket %}` (desk ticket
page) and `{% sla_promise ticket %}` (portal ticket page, in plain words). The inbox's rows
draw their badge in `atiende/desk/inbox/rows.py`."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from atiende.sla.queries import clocks_of
from atiende.sla.state import SlaState, TicketStatus, status_of
from atiende.tickets.models import Ticket

register = template.Library()


@register.inclusion_tag("sla/_desk_card.html")
def sla_card(ticket: Ticket) -> dict[str, Any]:
    clocks = clocks_of(ticket)
    return {"clocks": clocks, "sla": status_of(clocks) if clocks else None}


def _promise(status: TicketStatus) -> dict[str, Any]:
    """What to tell the customer: the next deadline still ahead of us, if any. A missed
    one is not shown (the engineers already know; a past date helps nobody)."""
    if status.paused:
        return {}
    for target in (status.first_response, status.resolution):
        if target is None or target.is_met or target.due_at is None:
            continue
        if target.state == SlaState.BREACHED:
            return {}
        return {"kind": str(target.target), "due": target.due_at, "when": _spoken_date(target.due_at)}
    return {}


def _spoken_date(when: datetime.datetime) -> str:
    """“miércoles 19 de noviembre, 10:00”: Spanish writes weekdays in lower case mid-sentence."""
    text = date_format(timezone.localtime(when), gettext("l j F, H:i"))
    if (translation.get_language() or "").startswith("es"):
        text = text[:1].lower() + text[1:]
    return text


@register.inclusion_tag("sla/_portal_promise.html")
def sla_promise(ticket: Ticket) -> dict[str, Any]:
    if ticket.status.is_closed:
        return {}  # nothing is promised on a closed ticket: its clocks are not read
    clocks = clocks_of(ticket)
    if clocks is None:
        return {}
    return _promise(status_of(clocks, timezone.now()))
