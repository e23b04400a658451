"""What to show beside a ticket being written: the articles its words find, best first,
and the company's known incidents (the contact may say "me afecta" instead of reporting
it again). Shared by the portal's *Nuevo Ticket* and the desk's ticket page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from atiende.accounts.models import Organization, User
from atiende.incidents import access as incident_access
from atiende.incidents.models import Incident
from atiende.knowledge import access, search
from atiende.knowledge.models import ArticleText
from atiende.tickets import search as ticket_search
from atiende.tickets.access import tickets_visible_to
from atiende.tickets.models import Message, MessageKind, Ticket

# Subject and first words are enough; a pasted log adds noise and time.
MAX_QUERY_CHARS = 300


def articles_for(
    reader: Any, subject: str, text: str, *, language: str, limit: int | None = None
) -> list[ArticleText]:
    """Up to `ATIENDE_KB_SUGGESTIONS` articles the reader may read, matching any word of
    the subject or the start of the text."""
    query = f"{subject[:MAX_QUERY_CHARS]} {text[:MAX_QUERY_CHARS]}".strip() if text.strip() else subject
    if not query.strip():
        return []
    texts = access.readable_texts(reader, language).select_related("article")
    found = search.matching(texts, query[: 2 * MAX_QUERY_CHARS], language=language, any_word=True)
    return list(found[: limit or settings.ATIENDE_KB_SUGGESTIONS])


KNOWN_INCIDENTS = 3


def incidents_for(reader: User, organization: Organization) -> list[Incident]:
    """The active major incidents that affect the company the contact writes for."""
    return incident_access.known_to_contact(reader, organization, KNOWN_INCIDENTS)


@dataclass(frozen=True)
class SimilarTicket:
    ticket: Ticket
    solution: str  # the last engineer's public reply before it was solved, if any


SIMILAR_DAYS = 90
SIMILAR_LIMIT = 5


def _probes(subject: str) -> list[str]:
    """Searches from strict to loose: the subject's three longest words together, then
    its longest word alone (ticket search needs every word it is given)."""
    words = sorted(dict.fromkeys(ticket_search.normalize(subject).split()), key=len, reverse=True)
    words = [word for word in words if word not in ticket_search.STOPWORDS and len(word) > 2]
    return [" ".join(words[:3]), words[0]] if len(words) > 1 else words


def similar_tickets(viewer: User, ticket: Ticket) -> list[SimilarTicket]:
    """Recent tickets of the same company that the viewer sees, whose words match this
    one's subject, best first, each with how it was solved."""
    since = timezone.now() - datetime.timedelta(days=SIMILAR_DAYS)
    pool = tickets_visible_to(viewer).filter(organization_id=ticket.organization_id, created_at__gte=since)
    pool = pool.exclude(pk=ticket.pk)
    found: list[Ticket] = []
    for probe in _probes(ticket.subject):
        ranked = ticket_search.ranked(pool.exclude(pk__in=[t.pk for t in found]), probe, viewer=viewer)
        best = ranked.select_related("status").order_by(*ticket_search.RELEVANCE, "-created_at")
        found += list(best[: SIMILAR_LIMIT - len(found)])
        if len(found) >= SIMILAR_LIMIT:
            break
    solutions: dict[int, str] = {}
    replies = (
        Message.objects.filter(ticket__in=found, kind=MessageKind.PUBLIC, author__agent__isnull=False)
        .order_by("ticket_id", "created_at", "id")
        .values_list("ticket_id", "body_text")
    )
    for ticket_id, body in replies:
        solutions[ticket_id] = body  # the last one wins
    return [SimilarTicket(item, solutions.get(item.pk, "")) for item in found]
