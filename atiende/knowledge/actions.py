"""Every change to the knowledge base: writing, publishing and archiving articles, their
files, readers' votes and reads. Each checks `knowledge.access` and writes in one
transaction."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atiende.accounts.models import Agent, Organization, User
from atiende.errors import InvalidValue, NotAllowed
from atiende.knowledge import access, search
from atiende.knowledge.models import (
    LANGUAGES,
    Article,
    ArticleFile,
    ArticleState,
    ArticleText,
    ArticleView,
    ArticleVote,
    Category,
    Visibility,
)
from atiende.knowledge.rendering import render_markdown
from atiende.tickets.attachments import Upload, clean_filename, content_type_for, validate_uploads
from atiende.tickets.models import Ticket


@dataclass(frozen=True)
class Text:
    title: str
    body: str


@dataclass(frozen=True)
class ArticleDraft:
    """What the editor sends: the article's settings and its text per language (a
    language left blank has no version and is hidden to readers of that language)."""

    category: Category
    visibility: str
    state: str
    texts: dict[str, Text]
    companies: Sequence[Organization] = field(default_factory=tuple)
    owner: Agent | None = None
    last_reviewed: datetime.date | None = None


def _check(draft: ArticleDraft) -> dict[str, Text]:
    texts = {lang: text for lang, text in draft.texts.items() if text.title.strip() or text.body.strip()}
    for lang, text in texts.items():
        if not text.title.strip():
            raise InvalidValue(
                f"title_{lang}", _("Write a title for this version, or leave its text blank too.")
            )
        if not text.body.strip():
            raise InvalidValue(
                f"body_{lang}", _("Write the text of this version, or leave its title blank too.")
            )
    if not texts:
        raise InvalidValue("title_es", _("Write the article in at least one language."))
    if draft.visibility not in Visibility.values:
        raise InvalidValue("visibility", _("Choose who may read the article."))
    if draft.state not in ArticleState.values:
        raise InvalidValue("state", _("Choose the article's state."))
    if draft.visibility == Visibility.COMPANIES and not draft.companies:
        raise InvalidValue("companies", _("Choose the companies whose contacts may read it."))
    if draft.last_reviewed and draft.last_reviewed > timezone.localdate():
        raise InvalidValue("last_reviewed", _("The review date cannot be in the future."))
    return texts


def save_article(actor: User, article: Article | None, draft: ArticleDraft) -> Article:
    """Create an article (`article` None) or change one: its settings and both language
    versions at once. Readers see the change on their next page."""
    agent = access.active_agent_of(actor)
    if agent is None:
        raise NotAllowed(_("Only engineers write articles."))
    texts = _check(draft)
    now = timezone.now()
    with transaction.atomic():
        if article is None:
            article = Article(created_at=now)
        article.category = draft.category
        article.visibility = draft.visibility
        article.state = draft.state
        article.owner = draft.owner or article.owner or agent
        article.last_reviewed = draft.last_reviewed
        article.updated_at = now
        article.save()
        article.companies.set(draft.companies if draft.visibility == Visibility.COMPANIES else [])
        article.texts.exclude(language__in=texts.keys()).delete()
        for lang, text in texts.items():
            ArticleText.objects.update_or_create(
                article=article,
                language=lang,
                defaults={
                    "title": text.title.strip(),
                    "body_markdown": text.body,
                    "body_html": render_markdown(text.body),
                    **search.index_fields(text.title, text.body, lang),
                },
            )
    return article


def attach_article_files(actor: User, article: Article, uploads: Sequence[Upload]) -> list[ArticleFile]:
    """Files and images shown in an article (same kinds and limits as tickets' files)."""
    if access.active_agent_of(actor) is None:
        raise NotAllowed(_("Only engineers write articles."))
    validate_uploads(uploads)
    stored = []
    with transaction.atomic():
        for upload in uploads:
            name = clean_filename(upload.name)
            stored.append(
                ArticleFile.objects.create(
                    article=article,
                    file=ContentFile(upload.content, name=name),
                    filename=name,
                    content_type=content_type_for(name),
                    size=len(upload.content),
                )
            )
    return stored


def vote_article(actor: User, article: Article, *, helpful: bool) -> ArticleVote:
    """*¿Le sirvió?*: the reader's answer; answering again replaces it."""
    if not actor.is_authenticated or not access.readable_articles(actor).filter(pk=article.pk).exists():
        raise NotAllowed()
    vote, _created = ArticleVote.objects.update_or_create(
        article=article, user=actor, defaults={"helpful": helpful, "created_at": timezone.now()}
    )
    return vote


def record_view(
    reader: User | None, article: Article, *, organization: Organization | None, from_suggestion: bool = False
) -> ArticleView:
    """Count a read (engineers' reads are not counted: the score measures self-service)."""
    return ArticleView.objects.create(
        article=article,
        user=reader if reader is not None and reader.is_authenticated else None,
        organization=organization,
        from_suggestion=from_suggestion,
    )


def note_ticket_after_suggestions(actor: User, ticket: Ticket) -> int:
    """The contact sent a ticket anyway: the suggestions they read in the last
    `ATIENDE_KB_DEFLECTION_MINUTES` preceded it and are no longer deflections."""
    since = timezone.now() - datetime.timedelta(minutes=settings.ATIENDE_KB_DEFLECTION_MINUTES)
    return ArticleView.objects.filter(
        user=actor, from_suggestion=True, ticket__isnull=True, created_at__gte=since
    ).update(ticket=ticket)


LANGUAGE_CODES = tuple(code for code, _name in LANGUAGES)
