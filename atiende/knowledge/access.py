"""The one rule for who may read which article, applied by every page, suggestion,
search and download of the knowledge base.

- Engineers (active agents) read every published article, internal ones included, and
  keep (write, publish, archive) all of them.
- A contact reads published articles that are public, or meant for a company they
  belong to (an active one).
- Anyone else reads published public articles, only when `ATIENDE_KB_PUBLIC` allows it
  (so the provider can link them from its website).
Drafts and archived articles are for engineers only. An article a reader may not read is
a 404, like one that does not exist. An article without a version in the reader's
language is hidden in that language.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from atiende.accounts.models import Agent, User
from atiende.knowledge.models import Article, ArticleFile, ArticleState, ArticleText, Visibility
from atiende.tickets.access import active_agent, active_contact


def reading_language() -> str:
    """The language articles are read in: the active one, Spanish unless English."""
    return "en" if (get_language() or "").startswith("en") else "es"


def _agent(user: Any) -> Agent | None:
    return active_agent(user) if isinstance(user, User) else None


def readable_articles(user: Any) -> QuerySet[Article]:
    """The published articles this reader (a user, or an anonymous visitor) may read."""
    published = Article.objects.filter(state=ArticleState.PUBLISHED)
    if _agent(user) is not None:
        return published
    contact = active_contact(user) if isinstance(user, User) else None
    if contact is not None:
        chosen = Article.companies.through.objects.filter(
            organization__memberships__contact=contact, organization__is_active=True
        ).values("article_id")
        return published.filter(
            Q(visibility=Visibility.PUBLIC) | Q(visibility=Visibility.COMPANIES, id__in=chosen)
        )
    if getattr(user, "is_authenticated", False) or not settings.ATIENDE_KB_PUBLIC:
        return Article.objects.none()
    return published.filter(visibility=Visibility.PUBLIC)


def readable_texts(user: Any, language: str) -> QuerySet[ArticleText]:
    """The versions in `language` of the articles this reader may read."""
    return ArticleText.objects.filter(article__in=readable_articles(user), language=language)


LARGEST_KEY = 2**63 - 1  # beyond the database's integers a key matches nothing (and must not reach it)


def _key(pk: int) -> int:
    if not 0 < pk <= LARGEST_KEY:
        raise Http404
    return pk


def get_text_for_reader(user: Any, pk: int, language: str) -> ArticleText:
    """The article in the reader's language, if they may read it; 404 otherwise."""
    pk = _key(pk)
    text = readable_texts(user, language).select_related("article__category").filter(article_id=pk).first()
    if text is None:
        raise Http404
    return text


def get_file_for_reader(user: Any, pk: int) -> ArticleFile:
    """A file of an article the reader may read (engineers: of any article); 404 otherwise."""
    pk = _key(pk)
    articles = Article.objects.all() if _agent(user) is not None else readable_articles(user)
    found = ArticleFile.objects.filter(pk=pk, article__in=articles).first()
    if found is None:
        raise Http404
    return found


def may_keep_articles(user: Any) -> bool:
    """Writing, publishing and archiving: every active engineer."""
    return _agent(user) is not None


def get_article_for_agent(user: Any, pk: int) -> Article:
    if not may_keep_articles(user):
        raise Http404
    article = Article.objects.select_related("category", "owner__user").filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def active_agent_of(user: Any) -> Agent | None:
    return _agent(user)
