"""The agents' inbox: the views on the left with live counts, the compact list, saved
views and bulk changes. Everything a list shows is in its URL; htmx refreshes the list in
place (the same template, `refresh` partial) every few seconds."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from atiende.accounts.models import Agent, User
from atiende.desk.common import agent_user
from atiende.desk.inbox import bulk, rows, saved
from atiende.desk.inbox import catalog as catalogs
from atiende.desk.inbox.filters import InboxFilters, columns
from atiende.desk.inbox.forms import InboxFilterForm
from atiende.desk.inbox.scopes import (
    EVERYTHING,
    MINE,
    UNASSIGNED,
    Scope,
    queue_key,
    saved_key,
    scopes_for,
    sidebar,
)
from atiende.errors import DomainError
from atiende.tickets import freshness, queries, search
from atiende.tickets.models import SavedView, Ticket
from atiende.ui.bounds import parse_id

PAGE_SIZE = 50
# A search counts its matches up to here: past it, "more than 1,000" says enough, and
# counting every match of common words would cost as much as the search itself.
SEARCH_COUNT_LIMIT = 1000
# The refresh's parameter: what the list on screen was drawn under (`freshness.shown`).
SHOWN = "shown"


class CountedPaginator(Paginator):  # type: ignore[type-arg]
    """Pages of a list whose length is already known."""

    def __init__(self, object_list: QuerySet[Ticket], per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


class SearchPaginator(Paginator):  # type: ignore[type-arg]
    """Pages of search results, their number counted up to SEARCH_COUNT_LIMIT."""

    @cached_property
    def count(self) -> int:
        tickets = cast("QuerySet[Ticket]", self.object_list)
        return tickets.order_by().values("pk")[: SEARCH_COUNT_LIMIT + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > SEARCH_COUNT_LIMIT


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _address(filters: InboxFilters, page: str) -> str:
    query = filters.to_query()
    number = parse_id(page)  # plain digits only: "²" is a digit to isdigit(), not to int()
    if number is None or number <= 1:
        return query
    return f"{query}&page={number}" if query else f"page={number}"


def _inbox(request: HtmxHttpRequest, key: str) -> HttpResponse:
    user, agent = agent_user(request)
    stamp = freshness.stamp(user.pk)  # before anything is read: see `freshness`
    if request.htmx and freshness.still_holds(request.GET.get(SHOWN, ""), stamp):
        # Nothing the list shows has changed: htmx keeps what it has on a 204.
        response = HttpResponse(status=204)
        patch_vary_headers(response, ["HX-Request"])
        return response
    scopes = scopes_for(user, agent, list(SavedView.objects.filter(owner=user)))
    scope = next((scope for scope in scopes if scope.key == key), None)
    if scope is None:
        raise Http404
    # A saved view opened without filters in its address shows its own.
    opened_bare = scope.saved is not None and not set(request.GET) - {"page", SHOWN}
    filters = scope.filters if opened_bare else InboxFilters.from_query(request.GET)
    address = _address(filters, request.GET.get("page", ""))
    if not (request.htmx or opened_bare) and request.META.get("QUERY_STRING", "") != address:
        # The filter form sends every field, empty or not: the list lives at the short form
        # of its address, the one worth sharing and saving.
        return redirect(f"{request.path}?{address}" if address else request.path)
    # The rows read their people and clocks by key themselves (`rows.listed`).
    tickets = filters.apply(queries.inbox_for_agent(user).filter(scope.tickets), agent).prefetch_related(None)
    entries = sidebar(user, agent, scopes, scope, stamp)
    if filters == scope.filters:
        # The list is the view as the sidebar counted it: no need to count it again.
        paginator: Paginator[Ticket] = CountedPaginator(
            tickets, PAGE_SIZE, next(entry.count for entry in entries if entry.current)
        )
    else:
        paginator = SearchPaginator(tickets, PAGE_SIZE) if filters.q else Paginator(tickets, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    listed = rows.listed(cast("QuerySet[Ticket]", page.object_list))
    tickets_shown = [row.ticket for row in listed]
    snippets = search.snippets(tickets_shown, filters.q, viewer=user) if filters.q else {}
    context: dict[str, Any] = {
        "elsewhere": _found_elsewhere(user, agent, scopes, scope, filters) if not listed else [],
        "scope": scope,
        "sidebar": entries,
        "filters": filters,
        "query": filters.to_query(),
        "columns": columns(filters),
        "page": page,
        "rows": listed,
        "rows_html": rows.render(listed, snippets),
        "refresh_url": _refresh_url(request, stamp),
    }
    if request.htmx:
        template = "desk/inbox/list.html#refresh"
    else:
        template = "desk/inbox/list.html"
        catalog = catalogs.load()
        context |= {
            "filter_form": _filter_form(catalog, filters, scope, request.path),
            "bulk_choices": _kept(catalog, ("bulk-choices",), {"catalog": catalog}),
            "save_query": filters.replace(**dict(scope.implied)).to_query(),
            "differs_from_saved": scope.saved is not None and filters != scope.filters,
        }
    response = render(request, template, context)
    # The page and its fragment share a URL: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _refresh_url(request: HttpRequest, stamp: str) -> str:
    """The list's own address, telling the refresh what it shows (`freshness.shown`)."""
    query = request.GET.copy()
    query[SHOWN] = freshness.shown(stamp)
    return f"{request.path}?{query.urlencode()}"


def _kept(catalog: catalogs.Catalog, key: tuple[object, ...], context: dict[str, Any]) -> SafeString:
    """A partial of the list drawn from the catalog, drawn once per language and `key` for
    as long as the catalog stands (its widgets and options were a tenth of the page)."""
    name = str(key[0])
    language = translation.get_language()
    return mark_safe(  # noqa: S308 (drawn by the template engine, escaped there)
        catalog.keep((language, *key), lambda: render_to_string(f"desk/inbox/list.html#{name}", context))
    )


def _filter_form(catalog: catalogs.Catalog, filters: InboxFilters, scope: Scope, path: str) -> SafeString:
    def context() -> dict[str, Any]:
        return {
            "form": InboxFilterForm(filters, catalog, fixed=scope.fixed),
            "filters": filters,
            "path": path,
        }

    if filters.company_id is not None:
        # The company's name is read for the form and may change apart from the catalog.
        return render_to_string("desk/inbox/list.html#filter-form", context())
    return _kept(catalog, ("filter-form", filters, scope.fixed, path), context())


def _found_elsewhere(
    user: User, agent: Agent, scopes: list[Scope], current: Scope, filters: InboxFilters
) -> list[tuple[Scope, str, int]]:
    """A search that finds nothing in this view: the same words in the agent's other views,
    open and closed, with how many tickets each holds (only when the list came back empty)."""
    if not filters.q:
        return []
    words = InboxFilters(q=filters.q, state="all")
    found = []
    for scope in scopes:
        if scope.saved is not None or (scope.key == current.key and filters == words):
            continue
        count = words.apply(queries.inbox_for_agent(user).filter(scope.tickets), agent).count()
        if count:
            found.append((scope, words.to_query(), count))
    return found


@login_required
def home(request: HtmxHttpRequest) -> HttpResponse:
    """*Mis tickets*: open tickets assigned to this agent, the desk's landing page."""
    return _inbox(request, MINE)


@login_required
def unassigned(request: HtmxHttpRequest) -> HttpResponse:
    """*Sin asignar*: open tickets of the agent's queues that nobody has taken."""
    return _inbox(request, UNASSIGNED)


@login_required
def everything(request: HtmxHttpRequest) -> HttpResponse:
    """*Todos*: every ticket, for supervisors and admins (a 404 for everyone else)."""
    return _inbox(request, EVERYTHING)


@login_required
def queue_tickets(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """One queue's open tickets, for the agents who work it."""
    return _inbox(request, queue_key(slug))


@login_required
def saved_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One of the agent's own saved views."""
    return _inbox(request, saved_key(pk))


def _back(request: HttpRequest) -> str:
    """Where the form was sent from, if it is a desk page of this site."""
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    return back if safe and back.startswith("/desk/") else reverse("desk:home")


@login_required
@require_POST
def saved_view_create(request: HttpRequest) -> HttpResponse:
    user, _agent = agent_user(request)
    try:
        view = saved.save_view(user, name=request.POST.get("name", ""), query=request.POST.get("query", ""))
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return redirect(_back(request))
    messages.success(request, _("The view “%(name)s” is saved.") % {"name": view.name})
    url = reverse("desk:saved-view", args=[view.pk])
    return redirect(f"{url}?{view.query}" if view.query else url)


@login_required
@require_POST
def saved_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user, _agent = agent_user(request)
    view = get_object_or_404(SavedView, pk=pk, owner=user)
    saved.delete_view(user, view)
    messages.success(request, _("The view “%(name)s” is deleted.") % {"name": view.name})
    return redirect("desk:home")


def _bulk_request(request: HttpRequest, user: User) -> tuple[list[int], bulk.BulkChange | None, str]:
    """The selected numbers, the change (None when refused) and why it was refused."""
    numbers = bulk.parse_numbers(request.POST.getlist("ticket"))
    try:
        bulk.check_batch(numbers)
        return numbers, bulk.parse_change(request.POST, user), ""
    except DomainError as refusal:
        return numbers, None, refusal.message


@login_required
@require_POST
def bulk_review(request: HttpRequest) -> HttpResponse:
    """The confirmation step: the selected tickets and the change, nothing applied yet."""
    user, _agent = agent_user(request)
    numbers, change, error = _bulk_request(request, user)
    found = bulk.tickets_for_batch(user, numbers) if change else {}
    context = {
        "change": change,
        "error": error,
        "numbers": numbers,
        "tickets": [found[number] for number in numbers if number in found],
        "missing": [number for number in numbers if number not in found],
        "tag": request.POST.get("tag", ""),
        "back": _back(request),
    }
    return render(request, "desk/inbox/bulk_review.html", context, status=400 if error else 200)


@login_required
@require_POST
def bulk_apply(request: HttpRequest) -> HttpResponse:
    """Apply the confirmed change ticket by ticket and say how each one went."""
    user, _agent = agent_user(request)
    numbers, change, error = _bulk_request(request, user)
    if change is None:
        refused = {"error": error, "numbers": numbers, "back": _back(request)}
        return render(request, "desk/inbox/bulk_review.html", refused, status=400)
    outcomes = bulk.apply_to_batch(user, change, numbers)
    context: dict[str, Any] = {
        "change": change,
        "outcomes": outcomes,
        "done": sum(outcome.done for outcome in outcomes),
        "refused": sum(not outcome.done for outcome in outcomes),
        "back": _back(request),
    }
    return render(request, "desk/inbox/bulk_done.html", context)
