"""Finding articles by their words, on both databases, the way ticket search does it.

Each `ArticleText` keeps the stems of its title and text (`search_title`, `search_body`),
computed here in Python with the Snowball stemmer of the text's language, accents and
case folded, Spanish stop words left out. The database only indexes and matches those
stems, so PostgreSQL and SQLite find exactly the same articles:

- PostgreSQL: `search_vector`, a stored generated `tsvector` of both columns built with
  the `simple` configuration (the title weighted `A`; `simple` neither stems nor drops
  words again), GIN indexed and queried with `to_tsquery('simple', …)`. The Django model
  does not declare it.
- SQLite: `knowledge_text_fts`, an FTS5 table kept by triggers on `knowledge_articletext`
  (migration `0001_knowledge_base`), ranked with bm25 (the title weighs most).

A search (the portal's *Buscar*, the desk's list) needs every word; suggestions while a
ticket is typed need any word, and take the last word as a prefix (it may be half
typed). Callers pass texts that already went through `knowledge.access`.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import Stemmer
from django.db import connection
from django.db.models import FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL

from atiende.knowledge.models import ArticleText
from atiende.tickets.search import STOPWORDS, fold

_WORD = re.compile(r"\w+", re.UNICODE)
_MAX_TERMS = 12
_STEMMERS = {"es": "spanish", "en": "english"}
_local = threading.local()


def _stemmer(language: str) -> Any:
    # Stemmer objects keep a cache and are not safe to share between threads.
    cache: dict[str, Any] = _local.__dict__.setdefault("stemmers", {})
    if language not in cache:
        cache[language] = Stemmer.Stemmer(_STEMMERS.get(language, "spanish"))
    return cache[language]


def terms(text: str, language: str) -> list[str]:
    """The stems of a text's words, in order, stop words left out."""
    words = [word for word in _WORD.findall(fold(text)) if word not in STOPWORDS]
    return list(_stemmer(language).stemWords(words))


def index_fields(title: str, body: str, language: str) -> dict[str, str]:
    """What to store on an `ArticleText` for the index."""
    return {
        "search_title": " ".join(terms(title, language)),
        "search_body": " ".join(terms(body, language)),
    }


def _query_terms(text: str, language: str) -> tuple[list[str], bool]:
    """The query's stems, and whether its last word may be a prefix (still being typed:
    the text does not end with a space or punctuation)."""
    found = list(dict.fromkeys(terms(text[:500], language)))[:_MAX_TERMS]
    typing = bool(found) and bool(text) and text[-1].isalnum()
    return found, typing


class _Postgres:
    DOCUMENT = "knowledge_articletext.search_vector"

    @staticmethod
    def tsquery(stems: list[str], *, any_word: bool, prefix: bool) -> str:
        # Stems are runs of word characters: never a quote or an operator.
        parts = [f"'{stem}'" for stem in stems]
        if prefix:
            parts[-1] += ":*"
        return (" | " if any_word else " & ").join(parts)

    def search(self, texts: QuerySet[ArticleText], tsquery: str) -> QuerySet[ArticleText]:
        matching = RawSQL(  # noqa: S611 - parameters, not text
            f"SELECT id FROM knowledge_articletext WHERE {self.DOCUMENT} @@ to_tsquery('simple', %s)",  # noqa: S608
            (tsquery,),
        )
        rank = RawSQL(  # noqa: S611
            f"ts_rank({self.DOCUMENT}, to_tsquery('simple', %s))", (tsquery,), output_field=FloatField()
        )
        return texts.filter(Q(id__in=matching)).annotate(search_rank=rank)


class _Sqlite:
    @staticmethod
    def expression(stems: list[str], *, any_word: bool, prefix: bool) -> str:
        parts = [f'"{stem}"' for stem in stems]
        if prefix:
            parts[-1] += "*"
        return (" OR " if any_word else " AND ").join(parts)

    def search(self, texts: QuerySet[ArticleText], expression: str) -> QuerySet[ArticleText]:
        matching = RawSQL(
            "SELECT rowid FROM knowledge_text_fts WHERE knowledge_text_fts MATCH %s", (expression,)
        )
        rank = RawSQL(
            "COALESCE((SELECT -bm25(knowledge_text_fts, 10.0, 1.0) FROM knowledge_text_fts"
            ' WHERE knowledge_text_fts MATCH %s AND rowid = "knowledge_articletext"."id"), 0)',
            (expression,),
            output_field=FloatField(),
        )
        return texts.filter(Q(id__in=matching)).annotate(search_rank=rank)


def matching(
    texts: QuerySet[ArticleText], query: str, *, language: str, any_word: bool = False
) -> QuerySet[ArticleText]:
    """The texts the query finds, best first (`search_rank`). `any_word` is for
    suggestions: a text needs one of the words, the last one as a prefix. A query with no
    meaningful word finds nothing."""
    stems, typing = _query_terms(query, language)
    if not stems:
        return texts.none()
    prefix = any_word and typing
    if connection.vendor == "postgresql":
        postgres = _Postgres()
        found = postgres.search(texts, postgres.tsquery(stems, any_word=any_word, prefix=prefix))
    else:
        sqlite = _Sqlite()
        found = sqlite.search(texts, sqlite.expression(stems, any_word=any_word, prefix=prefix))
    return found.order_by("-search_rank", "-article__updated_at", "id")
