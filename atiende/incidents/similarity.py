"""Spotting a new ticket that reports what an earlier one did.

When a ticket opens, its subject and first words are compared with recent tickets: those
of the same company in the last `ATIENDE_INCIDENT_SIMILAR_DAYS` days, and those of any
company opened in the last `ATIENDE_INCIDENT_CROSS_COMPANY_MINUTES` minutes (an outage
reaches several clients at once). The one search module narrows the field to a few
candidates through its index (never a scan); each candidate's words are then compared
with the new ticket's (the share of stems they have in common, Jaccard), and the best at
or above `ATIENDE_INCIDENT_SIMILARITY` is remembered. A candidate that belongs to an
active major incident wins ties, and the flag then names the incident ticket.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from atiende.incidents.models import Incident, IncidentChild, IncidentState, SimilarTicket
from atiende.tickets import search
from atiende.tickets.models import Message, MessageKind, StatusKind, Ticket

TEXT_CHARS = 400  # the subject and the first words say what happened; a log adds noise
CANDIDATES = 20
POOL = 2000  # the most recently active tickets in the windows that are searched
PROBE_WORDS = 3


def words_of(subject: str, text: str) -> set[str]:
    return {stem for stem in search.stems(f"{subject} {text[:TEXT_CHARS]}") if len(stem) > 2}


def similarity(first: set[str], second: set[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def _probes(subject: str) -> list[str]:
    """From strict to loose: the subject's longest words together, then each alone (the
    search needs every word it is given)."""
    words = sorted(
        {
            word
            for word in search.normalize(subject).split()
            if word not in search.STOPWORDS and len(word) > 3
        },
        key=lambda word: (-len(word), word),
    )[:PROBE_WORDS]
    probes = [" ".join(words[:2])] if len(words) > 1 else []
    return probes + words


def _first_text(ticket_ids: list[int]) -> dict[int, str]:
    texts: dict[int, str] = {}
    rows = (
        Message.objects.filter(ticket_id__in=ticket_ids, kind=MessageKind.PUBLIC)
        .order_by("ticket_id", "created_at", "id")
        .values_list("ticket_id", "body_text")
    )
    for ticket_id, body in rows:
        texts.setdefault(ticket_id, body[:TEXT_CHARS])
    return texts


def find_similar(
    ticket: Ticket, text: str, *, now: datetime.datetime | None = None
) -> tuple[Ticket, float] | None:
    """The earlier ticket most like this one, with its score, or None below the threshold."""
    now = now or timezone.now()
    same_since = now - datetime.timedelta(days=settings.ATIENDE_INCIDENT_SIMILAR_DAYS)
    any_since = now - datetime.timedelta(minutes=settings.ATIENDE_INCIDENT_CROSS_COMPANY_MINUTES)
    # A ticket's last activity is never before its creation, so each window is also read
    # on `last_activity_at`, which the open-ticket and company indexes hold: the recent
    # tickets are found by two index ranges, never by reading a million rows.
    same_company = Q(
        organization_id=ticket.organization_id,
        created_at__gte=same_since,
        last_activity_at__gte=same_since,
    )
    any_company = Q(created_at__gte=any_since, last_activity_at__gte=any_since)
    recent = (
        Ticket.objects.filter(same_company | any_company, created_at__lte=now, closed_at__isnull=True)
        .exclude(pk=ticket.pk)
        .exclude(status__kind=StatusKind.CLOSED)
        .order_by("-last_activity_at")
        .values_list("pk", flat=True)[:POOL]
    )
    # The search then looks only among those, however common the words.
    pool = Ticket.objects.filter(pk__in=list(recent))
    found: dict[int, Ticket] = {}
    for probe in _probes(ticket.subject):
        ranked = search.ranked(pool.exclude(pk__in=list(found)), probe)
        for candidate in ranked.order_by(*search.RELEVANCE, "-created_at")[: CANDIDATES - len(found)]:
            found[candidate.pk] = candidate
        if len(found) >= CANDIDATES:
            break
    if not found:
        return None
    mine = words_of(ticket.subject, text)
    texts = _first_text(list(found))
    in_incident = _incident_tickets(list(found))
    scored = [
        (similarity(mine, words_of(candidate.subject, texts.get(candidate.pk, ""))), candidate)
        for candidate in found.values()
    ]
    scored = [
        (score, candidate) for score, candidate in scored if score >= settings.ATIENDE_INCIDENT_SIMILARITY
    ]
    if not scored:
        return None
    score, best = max(scored, key=lambda item: (item[0], item[1].pk in in_incident, item[1].created_at))
    parent = in_incident.get(best.pk)
    return (parent or best), score


def _incident_tickets(ticket_ids: list[int]) -> dict[int, Ticket]:
    """For those of these tickets inside an active incident (as its ticket or a child),
    the incident ticket."""
    parents: dict[int, Ticket] = {}
    for incident in Incident.objects.filter(
        state=IncidentState.ACTIVE, ticket_id__in=ticket_ids
    ).select_related("ticket"):
        parents[incident.ticket_id] = incident.ticket
    children = IncidentChild.objects.filter(
        ticket_id__in=ticket_ids, incident__state=IncidentState.ACTIVE
    ).select_related("incident__ticket")
    for child in children:
        parents[child.ticket_id] = child.incident.ticket
    return parents


def flag_new_ticket(ticket_id: int) -> SimilarTicket | None:
    """Called as a ticket opens (from `tickets.effects`, inside the opening transaction):
    remember the ticket it most resembles, if any."""
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is None:
        return None
    first = _first_text([ticket.pk]).get(ticket.pk, "")
    match = find_similar(ticket, first)
    if match is None:
        return None
    similar_to, score = match
    if similar_to.pk == ticket.pk:
        return None
    flag, _created = SimilarTicket.objects.update_or_create(
        ticket=ticket, defaults={"similar_to": similar_to, "score": round(score, 3)}
    )
    return flag
