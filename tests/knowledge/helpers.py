"""Articles set up through the action, as an engineer would write them."""

from __future__ import annotations

from collections.abc import Sequence

from atiende.accounts.models import Agent, Organization
from atiende.knowledge.actions import ArticleDraft, Text, save_article
from atiende.knowledge.models import Article, ArticleState, Category, Visibility


def write_article(
    author: Agent,
    title: str,
    body: str = "",
    *,
    visibility: str = Visibility.PUBLIC,
    state: str = ArticleState.PUBLISHED,
    companies: Sequence[Organization] = (),
    english: tuple[str, str] | None = None,
    category: Category | None = None,
) -> Article:
    texts = {"es": Text(title, body or f"{title}. Siga estos pasos.")}
    if english:
        texts["en"] = Text(*english)
    draft = ArticleDraft(
        category=category or Category.objects.get_or_create(name_es="General", name_en="General")[0],
        visibility=visibility,
        state=state,
        texts=texts,
        companies=companies,
    )
    return save_article(author.user, None, draft)
