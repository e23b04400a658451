"""What the desk's composer says about WhatsApp: where a public reply goes, and whether the
24-hour window is open (outside it, only the mapped template can be sent)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from atiende.tickets.models import Ticket
from atiende.whatsapp.models import MessageTemplate, TemplateUse
from atiende.whatsapp.window import route_for


@dataclass(frozen=True)
class ComposerState:
    to: str
    number: str
    is_open: bool
    open_until: datetime.datetime | None
    template: MessageTemplate | None


def state(ticket: Ticket) -> ComposerState | None:
    route = route_for(ticket)
    if route is None:
        return None
    template = None if route.is_open else route.template(TemplateUse.NEW_REPLY)
    return ComposerState(route.to, route.number.display_phone, route.is_open, route.open_until, template)
