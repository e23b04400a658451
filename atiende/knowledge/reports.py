"""Self-service figures, for the desk's page and the reports: how many articles were read
against how many tickets were opened, the tickets suggestions saved, and the articles
most often read just before a ticket was sent anyway."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from atiende.accounts.models import Organization
from atiende.knowledge.models import Article, ArticleView
from atiende.tickets.models import Ticket


@dataclass(frozen=True)
class PrecedingArticle:
    article: Article
    tickets: int


@dataclass(frozen=True)
class SelfService:
    since: datetime.datetime
    until: datetime.datetime
    article_views: int
    tickets_opened: int
    deflections: int
    preceding: list[PrecedingArticle]

    @property
    def score(self) -> float | None:
        """Article views ÷ tickets opened; None without tickets."""
        return self.article_views / self.tickets_opened if self.tickets_opened else None


def self_service(
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    *,
    organization: Organization | None = None,
    top: int = 10,
) -> SelfService:
    """The figures between `since` and `until` (the last 30 days by default), for one
    company or all. A suggestion read counts as a deflection once its reader has let
    `ATIENDE_KB_DEFLECTION_MINUTES` pass without sending a ticket."""
    until = until or timezone.now()
    since = since or until - datetime.timedelta(days=30)
    views: QuerySet[ArticleView] = ArticleView.objects.filter(created_at__gte=since, created_at__lt=until)
    tickets = Ticket.objects.filter(created_at__gte=since, created_at__lt=until)
    if organization is not None:
        views = views.filter(organization=organization)
        tickets = tickets.filter(organization=organization)
    settled = until - datetime.timedelta(minutes=settings.ATIENDE_KB_DEFLECTION_MINUTES)
    deflections = views.filter(from_suggestion=True, ticket__isnull=True, created_at__lt=settled)
    preceding_rows = (
        views.filter(ticket__isnull=False)
        .values("article_id")
        .annotate(tickets=Count("ticket_id", distinct=True))
        .order_by("-tickets", "article_id")[:top]
    )
    rows = list(preceding_rows)
    articles = Article.objects.prefetch_related("texts").in_bulk([row["article_id"] for row in rows])
    return SelfService(
        since=since,
        until=until,
        article_views=views.count(),
        tickets_opened=tickets.count(),
        deflections=deflections.values("user_id", "article_id").distinct().count(),
        preceding=[PrecedingArticle(articles[row["article_id"]], row["tickets"]) for row in rows],
    )
