"""*Base de conocimiento* in the portal: categories, search, the article page (readable on
a phone), *¿Le sirvió?*, and the suggestions beside *Nuevo Ticket*. Public articles are
open to visitors when `ATIENDE_KB_PUBLIC` allows; every read goes through
`knowledge.access`."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from atiende.accounts.models import User
from atiende.knowledge import access, actions, search, suggestions
from atiende.knowledge.models import Category
from atiende.portal.company import current_organization
from atiende.portal.knowledge.files import file_response
from atiende.tickets.access import active_contact, organizations_of

PAGE_SIZE = 20


def _reader(request: HttpRequest) -> User | None:
    """The signed-in user, or None for a visitor (who reads public articles at most)."""
    return request.user if isinstance(request.user, User) and request.user.is_authenticated else None


def _visitor_may_not_read(request: HttpRequest) -> bool:
    return _reader(request) is None and not access.readable_articles(request.user).exists()


@require_GET
def kb_home(request: HttpRequest) -> HttpResponse:
    """Categories with their articles, or the articles a search finds."""
    if _visitor_may_not_read(request):
        return redirect_to_login(request.get_full_path())
    language = access.reading_language()
    texts = access.readable_texts(request.user, language).select_related("article__category")
    query = request.GET.get("q", "")[:200]
    category_id = _int(request.GET.get("category"))
    category = Category.objects.filter(pk=category_id).first() if category_id is not None else None
    if category is not None:
        texts = texts.filter(article__category=category)
    found = search.matching(texts, query, language=language) if query.strip() else texts.order_by("title")
    categories = Category.objects.annotate(
        shown=Count(
            "articles__texts", filter=Q(articles__texts__in=access.readable_texts(request.user, language))
        )
    ).filter(shown__gt=0)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "category": category, "categories": categories}
    return render(request, "knowledge/portal/home.html", context)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else None


@require_GET
def kb_article(request: HttpRequest, pk: int) -> HttpResponse:
    if _visitor_may_not_read(request):
        return redirect_to_login(request.get_full_path())
    text = access.get_text_for_reader(request.user, pk, access.reading_language())
    reader = _reader(request)
    vote = text.article.votes.filter(user=reader).first() if reader is not None else None
    return render(
        request,
        "knowledge/portal/article.html",
        {"text": text, "article": text.article, "files": text.article.files.all(), "vote": vote},
    )


@require_POST
def kb_seen(request: HttpRequest, pk: int) -> HttpResponse:
    """Counted by the page once shown (a POST, so a GET never writes and link previews do
    not count): contacts' and visitors' reads, `suggested=1` from *Nuevo Ticket*."""
    text = access.get_text_for_reader(request.user, pk, access.reading_language())
    reader = _reader(request)
    if reader is None or active_contact(reader) is not None:
        organization = organizations_of(reader).first() if reader is not None else None
        actions.record_view(
            reader,
            text.article,
            organization=organization,
            from_suggestion=request.POST.get("suggested") == "1",
        )
    return HttpResponse(status=204)


@require_POST
def kb_vote(request: HttpRequest, pk: int) -> HttpResponse:
    reader = _reader(request)
    if reader is None:
        return redirect_to_login(request.get_full_path())
    text = access.get_text_for_reader(reader, pk, access.reading_language())
    answer = request.POST.get("helpful")
    if answer not in {"yes", "no"}:
        return HttpResponse(status=400)
    vote = actions.vote_article(reader, text.article, helpful=answer == "yes")
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "knowledge/portal/article.html#vote", {"article": text.article, "vote": vote})
    return redirect("portal:kb-article", pk=pk)


@require_GET
def kb_file(request: HttpRequest, pk: int, name: str) -> HttpResponseBase:
    found = access.get_file_for_reader(request.user, pk)
    if found.filename != name:
        raise Http404
    return file_response(found, public=_reader(request) is None)


@require_GET
def kb_suggestions(request: HttpRequest) -> HttpResponse:
    """The fragment beside *Nuevo Ticket*: what the subject and first words find."""
    reader = _reader(request)
    if reader is None or active_contact(reader) is None:
        raise Http404
    found = suggestions.articles_for(
        reader,
        request.GET.get("subject", ""),
        request.GET.get("text", ""),
        language=access.reading_language(),
    )
    incidents = suggestions.incidents_for(reader, current_organization(request, reader))
    return render(
        request, "knowledge/portal/_suggestions.html", {"suggestions": found, "known_incidents": incidents}
    )
