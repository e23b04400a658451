"""Template filters shared by the portal and the desk."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Collection

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from atiende.tickets.mentions import MENTION
from atiende.tickets.models import Message, MessageKind
from atiende.ui import moments

register = template.Library()


@register.filter
def ago(value: datetime.datetime | None) -> str:
    """“hace 5 minutos”, or “hace un momento” within the first minute."""
    return "" if value is None else moments.ago(value, timezone.now())


@register.filter(expects_localtime=True)
def moment(value: datetime.datetime | None, format_name: str = "DATETIME_FORMAT") -> str:
    """The `date` filter for a named format (“DATETIME_FORMAT”), kept per moment and
    language (`moments.formatted`): a page writes the same few instants on every view."""
    return "" if value is None else moments.formatted(value, format_name)


@register.filter
def figure(value: float | None, unit: str = "") -> str:
    """A report's figure with its unit (“45 min”, “66,7 %”), or a muted dash when the
    period had nothing to measure: one filter where an include per cell cost a table of
    hundreds of cells a template lookup each."""
    if value is None:
        return format_html('<span class="muted" title="{}">—</span>', _("No data in the period"))
    return f"{floatformat(value, '-1')}{unit}"


_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r'\ssrc="([^"]*)"', re.IGNORECASE)
_ALT = re.compile(r'\salt="([^"]*)"', re.IGNORECASE)


def _highlight_mentions(text_html: str, handles: Collection[str]) -> str:
    def mark(found: re.Match[str]) -> str:
        if found[1].lower() not in handles:
            return found[0]
        return f'<mark class="mention">{found[0]}</mark>'

    return MENTION.sub(mark, text_html)


@register.simple_tag
def message_body(message: Message, mention_handles: Collection[str] = ()) -> str:
    """A message as its author formatted it: the sanitized HTML of an email, with inline
    (`cid:`) images pointing at their permission-checked attachment and images from
    elsewhere left out (they would track the reader and the CSP forbids them); plain text
    with line breaks otherwise."""
    if not message.body_html:
        text = linebreaks(message.body_text, autoescape=True)
        if mention_handles and message.kind == MessageKind.NOTE:
            # Handles are letters, digits and . _ + -: the escaped text holds them unchanged.
            text = _highlight_mentions(text, mention_handles)
        return mark_safe(text)  # noqa: S308 - escaped
    inline = {
        file.content_id: reverse("attachment", args=[file.pk, file.filename])
        for file in message.attachments.all()
        if file.content_id
    }

    def keep_or_drop(tag: re.Match[str]) -> str:
        src = _SRC.search(tag[0])
        target = src[1] if src else ""
        if target.lower().startswith("cid:") and html.unescape(target[4:]) in inline:
            return _SRC.sub(f' src="{escape(inline[html.unescape(target[4:])])}"', tag[0], count=1)
        alt = _ALT.search(tag[0])
        return f"[{alt[1]}]" if alt and alt[1] else ""

    return mark_safe(_IMG.sub(keep_or_drop, message.body_html))  # noqa: S308 - sanitized when stored
