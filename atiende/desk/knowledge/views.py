"""The engineers' side of the knowledge base: the list of every article (drafts and
archived too), the editor, "create an article from this reply", the articles to insert in
the composer, and the suggestions beside a ticket."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from atiende.desk.common import agent_user, get_ticket_for_agent, typed
from atiende.errors import InvalidValue
from atiende.knowledge import access, actions, reports, search, suggestions
from atiende.knowledge.forms import ArticleForm
from atiende.knowledge.models import Article, ArticleState, ArticleText
from atiende.tickets.access import tickets_visible_to
from atiende.tickets.forms import uploads_from
from atiende.tickets.models import Message, MessageKind

PAGE_SIZE = 50


@login_required
@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    _user, agent = agent_user(request)
    language = access.reading_language()
    query = typed(request.GET.get("q"), 200)
    state = request.GET.get("state", "")
    texts = ArticleText.objects.filter(language=language).select_related(
        "article__category", "article__owner__user"
    )
    if state in ArticleState.values:
        texts = texts.filter(article__state=state)
    found = search.matching(texts, query, language=language) if query else texts.order_by("title")
    # Articles written only in the other language are listed under their own title.
    missing = Article.objects.exclude(texts__language=language).prefetch_related("texts")
    if state in ArticleState.values:
        missing = missing.filter(state=state)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "state": state,
        "states": ArticleState.choices,
        "untranslated": [] if query else list(missing[:PAGE_SIZE]),
        "can_report": agent.sees_all_queues,
    }
    return render(request, "knowledge/desk/list.html", context)


def _edit(request: HttpRequest, article: Article | None, initial: dict[str, object]) -> HttpResponse:
    user, _agent = agent_user(request)
    form = ArticleForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = actions.save_article(user, article, form.draft())
                actions.attach_article_files(user, saved, uploads_from(form.cleaned_data["uploads"]))
        except InvalidValue as error:
            form.refuse(error)
        else:
            messages.success(request, _("The article was saved."))
            return redirect("desk:kb-article-edit", pk=saved.pk)
    context = {"form": form, "article": article, "files": article.files.all() if article else []}
    return render(request, "knowledge/desk/edit.html", context, status=400 if form.is_bound else 200)


@login_required
def article_new(request: HttpRequest) -> HttpResponse:
    """A new article; `?message=<id>` starts it from a reply of a ticket the agent sees."""
    user, agent = agent_user(request)
    initial: dict[str, object] = {"owner": agent.pk, "state": ArticleState.DRAFT}
    message_id = request.GET.get("message", "")
    if message_id:
        if not (message_id.isascii() and message_id.isdigit() and len(message_id) < 12):
            raise Http404
        message = (
            Message.objects.select_related("ticket")
            .filter(pk=int(message_id), ticket__in=tickets_visible_to(user), kind=MessageKind.PUBLIC)
            .first()
        )
        if message is None:
            raise Http404
        initial |= {"title_es": message.ticket.subject, "body_es": message.body_text}
    return _edit(request, None, initial)


@login_required
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, _agent = agent_user(request)
    article = access.get_article_for_agent(user, pk)
    return _edit(request, article, ArticleForm.initial_for(article))


@login_required
@require_GET
def article_insert(request: HttpRequest) -> HttpResponse:
    """Published articles matching the words, for the composer: each with the text of its
    portal link, to paste into a reply."""
    user, _agent = agent_user(request)
    language = access.reading_language()
    query = typed(request.GET.get("q"), 200)
    found = suggestions.articles_for(user, query, "", language=language, limit=8) if query else []
    return render(request, "knowledge/desk/_insert.html", {"found": found, "query": query})


@login_required
@require_GET
def ticket_suggestions(request: HttpRequest, number: int) -> HttpResponse:
    """Beside a ticket: articles its words find, and recent similar tickets of the same
    company with how they were solved."""
    user, _agent = agent_user(request)
    ticket = get_ticket_for_agent(user, number)
    first = ticket.messages.filter(kind=MessageKind.PUBLIC).order_by("created_at", "id").first()
    found = suggestions.articles_for(
        user, ticket.subject, first.body_text if first else "", language=access.reading_language()
    )
    similar = suggestions.similar_tickets(user, ticket)
    return render(request, "knowledge/desk/_ticket_suggestions.html", {"articles": found, "similar": similar})


@login_required
@require_GET
def self_service_report(request: HttpRequest) -> HttpResponse:
    """Self-service figures of the last 30 days (supervisors and admins)."""
    _user, agent = agent_user(request)
    if not agent.sees_all_queues:
        raise Http404
    return render(request, "knowledge/desk/report.html", {"report": reports.self_service()})
