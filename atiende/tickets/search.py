"""Searching tickets by their words: one module, used by every surface.

Each ticket keeps a normalized copy of its public words (subject and public messages,
lower-case, accents removed), so `conexion` finds `Conexión` on any database. Internal
notes are left out: contacts search this too. A number (`195`, `#195`) also matches the
ticket number.
"""

from __future__ import annotations

import re
import unicodedata
from functools import reduce
from operator import and_

from django.db.models import Q, QuerySet

from atiende.tickets.models import MessageKind, Ticket

_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"^#?(\d{1,12})$")


def normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(bare))


def extend_document(ticket: Ticket, text: str) -> None:
    """Add a public message's words to the ticket's document (the caller saves)."""
    ticket.search_text = f"{ticket.search_text} {normalize(text)}".strip()


def rebuild_document(ticket: Ticket) -> None:
    """Recompute the document from the subject and every public message (the caller saves)."""
    bodies = ticket.messages.filter(kind=MessageKind.PUBLIC).values_list("body_text", flat=True)
    ticket.search_text = normalize(" ".join([ticket.subject, *bodies]))


def matching(tickets: QuerySet[Ticket], query: str) -> QuerySet[Ticket]:
    """Tickets whose words contain every term of the query, or whose number it is."""
    query = query.strip()
    number = _NUMBER.match(query)
    terms = normalize(query).split()
    if not terms:
        return tickets
    by_words = reduce(and_, (Q(search_text__contains=term) for term in terms))
    return tickets.filter(by_words | Q(number=int(number[1]))) if number else tickets.filter(by_words)
