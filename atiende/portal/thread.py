"""The portal ticket page's message history, each message drawn once and kept.

A contact sees the public messages, never an email held because its sender is unverified
(until an engineer accepts it). Each message's bubble is kept (`atiende.ui.fragments`)
under a key holding what its drawing reads that could change: the reader's language and
time zone, the author's name and address, and the number of files (files can be added
later). The relative time is put in at each view.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from atiende.tickets.models import Message, MessageKind, SenderCheck, Ticket
from atiende.ui import fragments

TEMPLATE = "portal/tickets/_message.html"


@dataclass(frozen=True)
class Bubble:
    pk: int
    created_at: datetime.datetime
    from_customer: bool
    html: SafeString


def _draw(pks: Collection[int]) -> dict[int, str]:
    messages = (
        Message.objects.filter(pk__in=pks).select_related("author__contact").prefetch_related("attachments")
    )
    return {message.pk: render_to_string(TEMPLATE, {"message": message}) for message in messages}


def thread_for_contact(ticket: Ticket) -> list[Bubble]:
    """The messages a contact reads on this ticket, oldest first."""
    rows = list(
        Message.objects.filter(ticket=ticket, kind=MessageKind.PUBLIC)
        .exclude(sender_check=SenderCheck.HELD)  # unverified email waits for an engineer
        .order_by("created_at", "id")
        .values_list("pk", "created_at", "author__contact__id", "author__full_name", "author__email")
        .annotate(files=Count("attachments"))
    )
    reader = fragments.reader()
    keys = {
        pk: f"portal-msg:v1:{pk}:{reader}:{fragments.digest(f'{name}:{email}:{files}')}"
        for pk, _at, _contact, name, email, files in rows
    }
    drawn = fragments.kept(keys, _draw)
    return [
        Bubble(pk, at, contact is not None, fragments.with_ago(drawn[pk], at))
        for pk, at, contact, *_rest in rows
        if pk in drawn
    ]


def render(bubbles: Sequence[Bubble]) -> SafeString:
    """The history's bubbles as the page's `<li>` items, the last one marked for the jump to
    the latest message; each bubble's HTML was drawn (and escaped) once and kept."""
    last = len(bubbles) - 1
    items = []
    for index, bubble in enumerate(bubbles):
        side = "customer" if bubble.from_customer else "engineer"
        mark = 'id="last"' if index == last else ""
        items.append(f'<li class="bubble {side}" {mark}>\n{bubble.html}\n        </li>')
    return SafeString("".join(items))
