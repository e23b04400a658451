"""Articles, their language versions, and what readers do with them (views, votes, the
suggestions they opened before writing a ticket)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import Agent, Organization, User

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

LANGUAGES = (("es", _("Spanish")), ("en", _("English")))


class Category(models.Model):
    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name_es"]
        verbose_name = _("article category")
        verbose_name_plural = _("article categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_es


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    COMPANIES = "companies", _("Contacts of chosen companies")
    INTERNAL = "internal", _("Internal (engineers only)")


class ArticleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Article(models.Model):
    """One piece of advice, written in one or both languages (`ArticleText`)."""

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("category")
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    companies = models.ManyToManyField(
        Organization, blank=True, related_name="knowledge_articles", verbose_name=_("companies")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ArticleState.choices, default=ArticleState.DRAFT
    )
    owner = models.ForeignKey(
        Agent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    if TYPE_CHECKING:
        texts: RelatedManager[ArticleText]

    class Meta:
        indexes = [models.Index(fields=["state", "visibility"], name="article_state_visibility")]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ArticleText(models.Model):
    """An article in one language. `search_title` and `search_body` hold the stems the
    index is built from (see `knowledge/search.py`)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body_markdown = models.TextField(_("text"), max_length=100_000)
    body_html = models.TextField(editable=False)
    search_title = models.TextField(editable=False, default="")
    search_body = models.TextField(editable=False, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "language"], name="article_text_language")]

    def __str__(self) -> str:
        return self.title


class ArticleFile(models.Model):
    """A file or image an article shows, served through the article's reading rule."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="knowledge/%Y/%m/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.filename

    @property
    def is_image(self) -> bool:
        return self.content_type in {"image/png", "image/jpeg", "image/gif", "image/webp"}


class ArticleVote(models.Model):
    """*¿Le sirvió?*: one answer per reader and article, the last one counts."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="article_vote_once")]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.helpful}"


class ArticleView(models.Model):
    """An article read by a contact (or anyone, on a public page): the numerator of the
    self-service score. `from_suggestion` marks reads opened from *Nuevo Ticket*'s
    suggestions; `ticket` is filled when that reader sent a ticket anyway soon after
    (otherwise the read counts as a deflection)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_suggestion = models.BooleanField(default=False)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "from_suggestion", "created_at"], name="article_view_reader")]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.created_at:%Y-%m-%d %H:%M}"
