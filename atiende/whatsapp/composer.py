"""What the desk's composer says about WhatsApp: where a public reply goes, whether the
24-hour window is open, and outside it the approved reply templates the agent chooses
among, each previewed with the ticket's values."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from atiende.tickets.models import Ticket
from atiende.whatsapp.models import MessageTemplate, TemplateUse
from atiende.whatsapp.outbound import template_values
from atiende.whatsapp.window import route_for

PLACEHOLDER = re.compile(r"\{\{\s*(\d+)\s*\}\}")


@dataclass(frozen=True)
class TemplateChoice:
    pk: int
    name: str
    language: str
    preview: str


@dataclass(frozen=True)
class ComposerState:
    to: str
    number: str
    is_open: bool
    open_until: datetime.datetime | None
    templates: list[TemplateChoice]


def state(ticket: Ticket) -> ComposerState | None:
    route = route_for(ticket)
    if route is None:
        return None
    templates = [] if route.is_open else [_choice(t, ticket) for t in route.templates(TemplateUse.NEW_REPLY)]
    return ComposerState(route.to, route.number.display_phone, route.is_open, route.open_until, templates)


def preview(template: MessageTemplate, ticket: Ticket) -> str:
    """The template's text with {{1}}, {{2}}… filled as they will be sent (the reply's own
    text, when a parameter takes it, is shown as a marker)."""
    values = template_values(ticket, "")
    values["text"] = _("[your reply]")
    filled = [values.get(str(name), "") for name in template.parameters or []]
    if not template.body:
        return " · ".join(filled)

    def fill(match: re.Match[str]) -> str:
        index = int(match[1]) - 1
        return filled[index] if 0 <= index < len(filled) else match[0]

    return PLACEHOLDER.sub(fill, template.body)


def _choice(template: MessageTemplate, ticket: Ticket) -> TemplateChoice:
    return TemplateChoice(template.pk, template.name, template.language, preview(template, ticket))
