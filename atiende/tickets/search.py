"""Searching tickets by their words: one module, used by every surface.

What is searched: a ticket's subject, the text of every message and the names of attached
files, in two parts kept apart — the public part (subject, public messages and their
files) and the internal part (notes and their files). Contacts search the public part
only; agents both. Words are compared accent- and case-insensitively and by their Spanish
stem, so `impresoras` finds `impresora` and `conexion` finds `Conexión`.

Where it lives (migrations `0006_search_index` and `0008_search_columns_on_ticket`):
- PostgreSQL: two `tsvector` columns on the ticket row, `search_public` and
  `search_internal`, built with the `atiende_es` configuration (`unaccent`, then the
  Spanish Snowball stemmer) and GIN indexed; on the row itself, so a search inside a queue
  or a company combines the GIN index with theirs. The Django model does not declare them.
- SQLite: `tickets_search_fts`, an FTS5 table (subject, public, internal) holding each
  word's stem, computed by `index_terms` below (registered on every SQLite connection as
  the SQL function `atiende_search_terms`; FTS5 has no Spanish stemmer of its own).
Database triggers keep both current in the same transaction as every write to tickets,
messages and attachments — from the actions, a queryset `update()` (merging moves
messages that way), the bench's bulk loads or anything added later — so no code path can
forget to.

A query that is a ticket number (`195`, `#195`), an email address or a phone number also
finds the tickets it names exactly, and those come first. Callers always pass a queryset
that already went through `access.tickets_visible_to`, and the viewer, which decides
whether notes count (`access.active_agent`).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import Stemmer
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import BooleanField, Case, F, Field, FloatField, Func, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from atiende.accounts.models import User
from atiende.tickets import access
from atiende.tickets.models import Attachment, Message, MessageKind, SenderCheck, Ticket

# Order results by these, then by whatever the list sorts by.
RELEVANCE = ("-search_exact", "-search_rank")

_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"^#?(\d{1,12})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s().-]+$")
_MIN_PHONE_DIGITS = 7

# Words too common to mean anything, the same idea as PostgreSQL's Spanish stop list, so
# both databases ignore the same words. Compared without accents.
STOPWORDS = frozenset(
    [
        "a",
        "al",
        "algo",
        "algunas",
        "algunos",
        "ante",
        "antes",
        "como",
        "con",
        "contra",
        "cual",
        "cuando",
        "de",
        "del",
        "desde",
        "donde",
        "durante",
        "e",
        "el",
        "ella",
        "ellas",
        "ellos",
        "en",
        "entre",
        "era",
        "eran",
        "es",
        "esa",
        "esas",
        "ese",
        "eso",
        "esos",
        "esta",
        "estaba",
        "estan",
        "estas",
        "este",
        "esto",
        "estos",
        "fue",
        "fueron",
        "ha",
        "habia",
        "han",
        "hasta",
        "hay",
        "la",
        "las",
        "le",
        "les",
        "lo",
        "los",
        "mas",
        "me",
        "mi",
        "mis",
        "mucho",
        "muy",
        "nada",
        "ni",
        "no",
        "nos",
        "nosotros",
        "o",
        "otra",
        "otras",
        "otro",
        "otros",
        "para",
        "pero",
        "poco",
        "por",
        "porque",
        "que",
        "quien",
        "se",
        "sea",
        "ser",
        "si",
        "sin",
        "sobre",
        "su",
        "sus",
        "tambien",
        "te",
        "tiene",
        "tienen",
        "todo",
        "todos",
        "tu",
        "tus",
        "un",
        "una",
        "uno",
        "unos",
        "y",
        "ya",
        "yo",
    ]
)

_local = threading.local()


def _stemmer() -> Any:
    # Stemmer objects keep a cache and are not safe to share between threads.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("spanish")
    return stemmer


def fold(text: str) -> str:
    """Lower case without accents: `Conexión` → `conexion`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize(text: str) -> str:
    """The folded words of a text, separated by single spaces."""
    return " ".join(_WORD.findall(fold(text)))


def stems(text: str) -> list[str]:
    """The stems of a text's words, in order, stop words left out."""
    words = [word for word in _WORD.findall(fold(text)) if word not in STOPWORDS]
    return list(_stemmer().stemWords(words))


def index_terms(text: str | None) -> str:
    """What SQLite's index stores for a text: its stems, space-separated."""
    return " ".join(stems(text or ""))


# --- the query --------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A search as typed, read once: its words and what it may name exactly."""

    text: str
    terms: tuple[str, ...]
    number: int | None = None
    email: str = ""
    phone: str = ""

    @classmethod
    def parse(cls, text: str) -> Query:
        text = " ".join(text.split())[:200]
        number = _NUMBER.match(text)
        digits = "".join(ch for ch in text if ch.isdigit())
        return cls(
            text=text,
            terms=tuple(dict.fromkeys(stems(text))),
            number=int(number[1]) if number else None,
            email=text.lower() if _EMAIL.match(text) else "",
            phone=digits if not number and _PHONE.match(text) and len(digits) >= _MIN_PHONE_DIGITS else "",
        )

    @property
    def is_exact(self) -> bool:
        return self.number is not None or bool(self.email or self.phone)


def _exact(query: Query) -> QuerySet[Ticket] | None:
    """The tickets the query names exactly (its number, its requester's email or phone)."""
    condition = Q()
    if query.number is not None:
        condition |= Q(number=query.number)
    if query.email:
        condition |= Q(requester__user__email=query.email)
    if query.phone:
        condition |= Q(requester__phone_digits=query.phone)
    return Ticket.objects.filter(condition).order_by() if condition else None


def _sees_notes(viewer: User | None) -> bool:
    return viewer is not None and access.active_agent(viewer) is not None


def _sql(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


class _OnTicketRow(Func):
    """SQL over the ticket row's own search columns (PostgreSQL), under whatever alias the
    ticket table has in the query at hand (`tickets_ticket`, or `U0` inside a subquery)."""

    def __init__(self, sql: str, params: Sequence[Any], output_field: Field[Any, Any]) -> None:
        super().__init__(F("id"), output_field=output_field)
        self.sql, self.params = sql, tuple(params)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        column, column_params = compiler.compile(self.source_expressions[0])
        table = column.rsplit(".", 1)[0]
        return self.sql.format(table=table), [*column_params, *self.params]


class _Postgres:
    """`plainto_tsquery` over the ticket's `tsvector` columns: the same parser and stemmer
    as the index. The condition and the rank read the ticket row itself, so the GIN index
    combines with the queue and company indexes."""

    TSQUERY = "plainto_tsquery('atiende_es', %s)"

    @staticmethod
    def document(notes: bool) -> str:
        # The agents' expression is the one indexed by `ticket_search_all`.
        return "({table}.search_public || {table}.search_internal)" if notes else "{table}.search_public"

    def condition(self, query: Query, notes: bool) -> _OnTicketRow:
        parts: list[str] = []
        params: list[Any] = []
        if query.terms:
            parts.append(f"{self.document(notes)} @@ {self.TSQUERY}")
            params.append(query.text)
        exact = _exact(query)
        if exact is not None:
            sql, exact_params = _sql(exact.values("id"))
            # Computed once, up front: the matching ids join the bitmap of the words.
            parts.append(f"{{table}}.id = ANY(ARRAY({sql}))")
            params.extend(exact_params)
        return _OnTicketRow(f"({' OR '.join(parts)})", params, BooleanField())

    def rank(self, query: Query, notes: bool) -> _OnTicketRow:
        return _OnTicketRow(f"ts_rank({self.document(notes)}, {self.TSQUERY})", [query.text], FloatField())


class _Sqlite:
    """FTS5 over stems in a table of its own; contacts' searches are limited to the
    public columns."""

    @staticmethod
    def expression(query: Query, notes: bool) -> str:
        # Stems are runs of word characters: never a quote or an FTS5 operator.
        terms = " AND ".join(f'"{term}"' for term in query.terms)
        return f"({terms})" if notes else "{subject public} : (" + terms + ")"

    def condition(self, query: Query, notes: bool) -> Q:
        parts: list[tuple[str, tuple[Any, ...]]] = []
        if query.terms:
            parts.append(
                (
                    "SELECT rowid FROM tickets_search_fts WHERE tickets_search_fts MATCH %s",
                    (self.expression(query, notes),),
                )
            )
        exact = _exact(query)
        if exact is not None:
            parts.append(_sql(exact.values("id")))
        sql = " UNION ".join(part for part, _params in parts)
        params = tuple(p for _part, part_params in parts for p in part_params)
        return Q(id__in=RawSQL(sql, params))  # noqa: S611 - parameters, not text

    def rank(self, query: Query, notes: bool) -> RawSQL:
        # bm25 is lower for better matches; the subject weighs most.
        weights = "10.0, 1.0, 1.0" if notes else "10.0, 1.0, 0.0"
        return RawSQL(  # noqa: S611
            f"COALESCE((SELECT -bm25(tickets_search_fts, {weights}) FROM tickets_search_fts"  # noqa: S608
            ' WHERE tickets_search_fts MATCH %s AND rowid = "tickets_ticket"."id"), 0)',
            (self.expression(query, notes),),
        )


def _backend() -> _Postgres | _Sqlite:
    return _Postgres() if connection.vendor == "postgresql" else _Sqlite()


def matching(tickets: QuerySet[Ticket], query: str, *, viewer: User | None = None) -> QuerySet[Ticket]:
    """The tickets among `tickets` the query finds. Notes count only when the viewer is an
    agent; without a viewer, only what a contact could read is searched. A blank query
    keeps every ticket."""
    parsed = Query.parse(query)
    if not parsed.text:
        return tickets
    if not parsed.terms and not parsed.is_exact:
        return tickets.none()
    return tickets.filter(_backend().condition(parsed, _sees_notes(viewer)))


def ranked(tickets: QuerySet[Ticket], query: str, *, viewer: User | None = None) -> QuerySet[Ticket]:
    """`matching`, each ticket annotated with `search_exact` (1 when the query names it)
    and `search_rank` (how well its words match); order by `RELEVANCE` first."""
    parsed = Query.parse(query)
    found = matching(tickets, query, viewer=viewer)
    if not parsed.text:
        return found.annotate(search_exact=Value(0), search_rank=Value(0.0))
    exact = _exact(parsed)
    exact_score = (
        Case(When(id__in=exact.values("id"), then=Value(1)), default=Value(0))
        if exact is not None
        else Value(0)
    )
    rank = _backend().rank(parsed, _sees_notes(viewer)) if parsed.terms else Value(0.0)
    return found.annotate(search_exact=exact_score, search_rank=rank)


# --- snippets ---------------------------------------------------------------------------

SNIPPET_WORDS = 28
_BEFORE = 8


def highlight(text: str, query: str | Query) -> SafeString:
    """The text, escaped, with what the query finds wrapped in `<mark>`."""
    parsed = query if isinstance(query, Query) else Query.parse(query)
    return _marked(text, _hits(text, parsed), 0, len(text))


def _hits(text: str, query: Query) -> list[tuple[int, int]]:
    """Where the query matches the text: the email address it names, else each word
    whose stem is one of the query's."""
    if query.email:
        return [m.span() for m in re.finditer(re.escape(query.email), text, re.IGNORECASE)]
    terms = set(query.terms)
    return [word.span() for word in _WORD.finditer(text) if _is_match(word.group(), terms)]


def _marked(text: str, hits: list[tuple[int, int]], start: int, end: int) -> SafeString:
    pieces: list[str] = []
    cursor = start
    for hit_start, hit_end in hits:
        if hit_start < start or hit_end > end:
            continue
        pieces.append(escape(text[cursor:hit_start]))
        pieces.append(f"<mark>{escape(text[hit_start:hit_end])}</mark>")
        cursor = hit_end
    pieces.append(escape(text[cursor:end]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece above is escaped


def _is_match(word: str, terms: set[str]) -> bool:
    folded = fold(word)
    return folded not in STOPWORDS and _stemmer().stemWord(folded) in terms


def snippet(text: str, query: Query) -> SafeString | None:
    """A few words of the text around its first match, highlighted; None without one."""
    hits = _hits(text, query)
    if not hits:
        return None
    words = list(_WORD.finditer(text))
    first = next(i for i, word in enumerate(words) if word.end() > hits[0][0])
    begin = max(0, first - _BEFORE)
    last = min(len(words), begin + SNIPPET_WORDS) - 1
    start = 0 if begin == 0 else words[begin].start()
    end = len(text) if last == len(words) - 1 else max(words[last].end(), hits[0][1])
    body = _marked(text, hits, start, end)
    return mark_safe(("… " if start else "") + body + (" …" if end < len(text) else ""))  # noqa: S308


class Listed(Protocol):
    """A listed ticket, as a model or as a list's plain row: only its id is needed."""

    @property
    def pk(self) -> Any: ...


def snippets(tickets: Sequence[Listed], query: str, *, viewer: User | None = None) -> dict[int, SafeString]:
    """For each listed ticket, where its text matches the query, highlighted: the first
    matching message (notes only for agents), else the first matching file name. Two
    queries for the whole list, whatever its length."""
    parsed = Query.parse(query)
    ids = [ticket.pk for ticket in tickets]
    if not (parsed.terms or parsed.email) or not ids:
        return {}
    kinds = [MessageKind.PUBLIC, MessageKind.NOTE] if _sees_notes(viewer) else [MessageKind.PUBLIC]
    texts: dict[int, list[str]] = {}
    shown = Message.objects.filter(ticket_id__in=ids, kind__in=kinds)
    if not _sees_notes(viewer):
        shown = shown.exclude(sender_check=SenderCheck.HELD)
    bodies = shown.order_by("ticket_id", "created_at", "id").values_list("ticket_id", "body_text")
    files = (
        Attachment.objects.filter(ticket_id__in=ids, message__in=shown)
        .order_by("ticket_id", "id")
        .values_list("ticket_id", "filename")
    )
    for rows in (bodies, files):
        for ticket_id, text in rows:
            texts.setdefault(ticket_id, []).append(text)
    found: dict[int, SafeString] = {}
    for ticket_id, candidates in texts.items():
        for text in candidates:
            piece = snippet(text, parsed)
            if piece is not None:
                found[ticket_id] = piece
                break
    return found


# --- SQLite: the stemmer as an SQL function ----------------------------------------------


def _install_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("atiende_search_terms", 1, index_terms, deterministic=True)


def install() -> None:
    """Register `atiende_search_terms` on every new SQLite connection (the triggers that
    keep the FTS5 index call it). Called once, from the app's `ready()`."""
    connection_created.connect(_install_sqlite_function, dispatch_uid="atiende.tickets.search")
