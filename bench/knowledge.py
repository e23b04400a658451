"""Suggestion latency on *Nuevo Ticket*: how long the portal takes to answer the htmx
request that suggests articles as a contact types, with 5,000 articles (a third in
English too, a tenth for one company, a tenth internal) beside whatever tickets the
database holds.

    DATABASE_URL=postgres://…/atiende_bench python -m bench.knowledge --articles 5000

Articles are added once (a second run reuses them). Each query is a subject being typed,
measured at every few keystrokes, as the browser sends it; p50/p95 of the server time
through the real middleware and view, target p95 ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import random
import time

from bench import setup_django
from bench.run import percentile, production_environment
from bench.vocabulary import DEVICES, PLACES, SYMPTOMS, SYSTEMS

TARGET_MS = 100.0


def _articles(count: int) -> None:
    from atiende.accounts.models import Agent, Organization
    from atiende.knowledge.models import Article, ArticleState, ArticleText, Category, Visibility
    from atiende.knowledge.rendering import render_markdown
    from atiende.knowledge.search import index_fields

    have = Article.objects.count()
    if have >= count:
        return
    rng = random.Random(18)
    owner = Agent.objects.first()
    company = Organization.objects.order_by("id").first()
    category = Category.objects.get_or_create(name_es="Banco de pruebas")[0]
    for start in range(have, count, 500):
        batch = []
        for n in range(start, min(count, start + 500)):
            share = n % 10
            visibility = (
                Visibility.INTERNAL
                if share == 0
                else Visibility.COMPANIES
                if share == 1
                else Visibility.PUBLIC
            )
            batch.append(
                Article(category=category, visibility=visibility, state=ArticleState.PUBLISHED, owner=owner)
            )
        Article.objects.bulk_create(batch)
        if company is not None:
            Article.companies.through.objects.bulk_create(
                [
                    Article.companies.through(article=a, organization=company)
                    for a in batch
                    if a.visibility == "companies"
                ]
            )
        texts = []
        for article in batch:
            title = f"{rng.choice(DEVICES)} {rng.choice(SYMPTOMS)} en {rng.choice(PLACES)}".capitalize()
            body = f"Si el {rng.choice(SYSTEMS)} falla, revise la {rng.choice(DEVICES)} y reinicie. " * 8
            texts.append(
                ArticleText(
                    article=article, language="es", title=title, body_markdown=body,
                    body_html=render_markdown(body), **index_fields(title, body, "es"),
                )
            )  # fmt: skip
            if article.pk % 3 == 0:
                english = f"Printer issue number {article.pk}"
                texts.append(
                    ArticleText(
                        article=article, language="en", title=english, body_markdown=english,
                        body_html=english, **index_fields(english, english, "en"),
                    )
                )  # fmt: skip
        ArticleText.objects.bulk_create(texts)


def _typing(rng: random.Random) -> list[str]:
    subject = f"{rng.choice(['La', 'Mi', 'El'])} {rng.choice(DEVICES)} {rng.choice(SYMPTOMS)}"
    return [subject[:cut] for cut in range(4, len(subject) + 1, 3)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--subjects", type=int, default=40)
    args = parser.parse_args()
    production_environment()
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from atiende.accounts.models import Contact
    from atiende.tickets.models import Ticket

    _articles(args.articles)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum would have, after the load
            cursor.execute("ANALYZE knowledge_article, knowledge_articletext, knowledge_article_companies")
    contact = Contact.objects.filter(user__is_active=True).select_related("user").order_by("id").first()
    assert contact is not None, "generate the data first (python -m bench.generate)"
    client = Client()
    client.force_login(contact.user)
    url = reverse("portal:kb-suggestions")
    rng = random.Random(7)
    for _warm in range(3):
        client.get(url, {"subject": "impresora no imprime", "text": ""})
    timings: list[float] = []
    for _subject in range(args.subjects):
        for typed in _typing(rng):
            started = time.perf_counter()
            response = client.get(url, {"subject": typed, "text": ""})
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    p50, p95 = percentile(timings, 0.5), percentile(timings, 0.95)
    print(
        f"{connection.vendor}, {Ticket.objects.count():,} tickets, {args.articles:,} articles: "
        f"{len(timings)} suggestion requests, p50 {p50:.1f} ms, p95 {p95:.1f} ms "
        f"(target p95 ≤ {TARGET_MS:.0f} ms): {'ok' if p95 <= TARGET_MS else 'SLOW'}"
    )


if __name__ == "__main__":
    main()
