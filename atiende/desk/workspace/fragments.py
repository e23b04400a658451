"""A message's HTML in the desk's thread, drawn once and kept.

A message does not change after it is written, so what the thread shows of it — who wrote
it, when, the sender check, the body and its files — is drawn the first time and kept in
the `fragments` cache (each web process's memory). The key holds everything the drawing
reads that could differ: the message, the reader's language and time zone, the sender
check (an engineer may accept a held email), the author's name, the number of files (files
can be added later) and, for a note that mentions someone, who may be mentioned. What does
change — deliveries, WhatsApp states, the held message's form, the split link — is drawn
around it on every view. The relative time ("hace 3 horas") is put in as the page is drawn.

A page view writes nothing: the cache is memory, not the database.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

from django.core.cache import caches
from django.db.models import BooleanField, Case, Count, Value, When
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from atiende.tickets.models import Message, MessageKind, SenderCheck, Ticket
from atiende.ui.templatetags.ui import ago

TEMPLATE = "desk/ticket/_message.html"
_AGO = "<!--ago-->"  # where the relative time goes; nh3 drops comments from stored HTML
_KEEP_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Line:
    """What the thread needs of a message besides its kept HTML."""

    pk: int
    kind: str
    created_at: datetime.datetime
    sender_check: str
    from_customer: bool
    mentions_someone: bool  # a note with an @ in it
    version: str = ""  # what else the drawing reads: when, author, name, number of files
    head: str = ""  # HTML, marked safe by `draw`
    body: str = ""

    @property
    def is_held(self) -> bool:
        return self.sender_check == SenderCheck.HELD


def lines(ticket: Ticket) -> list[Line]:
    """The ticket's messages in order, without their HTML (one light query)."""
    rows = (
        Message.objects.filter(ticket=ticket)
        .order_by("created_at", "id")
        .values_list(
            "pk",
            "kind",
            "created_at",
            "sender_check",
            "author__contact__id",
            "author__full_name",
            "author_id",
        )
        .annotate(
            files=Count("attachments"),
            # Asked in the same query: a note with an @ in it may mention someone.
            mentions=Case(
                When(kind=MessageKind.NOTE, body_text__contains="@", then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )
    return [
        Line(
            pk,
            str(kind),
            created_at,
            check,
            contact_id is not None,
            bool(mentions),
            _digest(f"{created_at.isoformat()}:{author_id}:{name}:{files}"),
        )
        for pk, kind, created_at, check, contact_id, name, author_id, files, mentions in rows
    ]


def _digest(text: str) -> str:
    return hashlib.blake2s(text.encode(), digest_size=8).hexdigest()


def draw(found: Iterable[Line], mention_handles: Collection[str] = ()) -> list[Line]:
    """Each line with its head and body: from the cache, or drawn and kept."""
    found = list(found)
    language = translation.get_language() or ""
    zone = timezone.get_current_timezone_name()
    handles = _digest(",".join(sorted(mention_handles)))
    keys = {
        line.pk: ":".join(
            (
                "msg:v1",
                str(line.pk),
                language,
                zone,
                line.sender_check,
                line.version,
                handles if line.mentions_someone else "",
            )
        )
        for line in found
    }
    cache = caches["fragments"]
    kept: dict[str, tuple[str, str]] = cache.get_many(list(keys.values()))
    missing = [line.pk for line in found if keys[line.pk] not in kept]
    if missing:
        fresh = {}
        messages = (
            Message.objects.filter(pk__in=missing)
            .select_related("author__contact")
            .prefetch_related("attachments")
        )
        for message in messages:
            head, _sep, body = render_to_string(
                TEMPLATE, {"message": message, "mention_handles": mention_handles}
            ).partition("<!--body-->")
            fresh[keys[message.pk]] = (head, body)
        cache.set_many(fresh, _KEEP_SECONDS)
        kept.update(fresh)
    drawn = []
    for line in found:
        head, body = kept.get(keys[line.pk], ("", ""))
        head = head.replace(_AGO, escape(ago(line.created_at)), 1)
        drawn.append(
            replace(
                line,
                head=mark_safe(head),  # noqa: S308 - drawn by the template, escaped there
                body=mark_safe(body),  # noqa: S308
            )
        )
    return drawn
