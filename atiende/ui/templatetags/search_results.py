"""Search results in lists: where each ticket matched, highlighted (`tickets.search`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.safestring import SafeString

from atiende.tickets import search
from atiende.tickets.models import Ticket

register = template.Library()


@register.simple_tag(takes_context=True)
def search_snippets(
    context: dict[str, Any], tickets: Sequence[Ticket], query: str | None
) -> dict[int, SafeString]:
    """`{% search_snippets tickets q as snippets %}`: the listed tickets' snippets, in two
    queries for the whole page. Notes count only for agents (the viewer is the request's user)."""
    if not query:
        return {}
    request = context.get("request")
    viewer = getattr(request, "user", None)
    return search.snippets(
        list(tickets), query, viewer=viewer if viewer and viewer.is_authenticated else None
    )


@register.filter
def snippet_for(snippets: dict[int, SafeString], ticket: Ticket) -> SafeString | str:
    return snippets.get(ticket.pk, "") if snippets else ""


@register.filter
def highlight(text: str, query: str | None) -> SafeString | str:
    """`{{ ticket.subject|highlight:q }}`: the text escaped, the words searched for marked."""
    return search.highlight(text, query) if query else text
