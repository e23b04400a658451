"""The views of the inbox's sidebar: *Mis tickets*, *Sin asignar*, one per queue, *Todos*
for those who see every queue, and the agent's saved views, each with its live count."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import Agent, User
from atiende.desk.inbox.filters import ME, NOBODY, InboxFilters
from atiende.tickets import freshness, queries
from atiende.tickets.models import SavedView

MINE, UNASSIGNED, EVERYTHING = "mine", "unassigned", "all"


@dataclass(frozen=True)
class Scope:
    """One view: the tickets it holds before the list's own filters, and what it stands
    for as filters when the agent saves it under a name of their own."""

    key: str
    label: str | Promise
    path: str
    tickets: Q = field(default_factory=Q)
    implied: tuple[tuple[str, object], ...] = ()
    filters: InboxFilters = field(default_factory=InboxFilters)
    saved: SavedView | None = None
    # For a built-in view: which rows of `queries.open_tally_for_agent` it holds.
    holds: Callable[[queries.OpenTally], bool] | None = field(default=None, compare=False)

    @property
    def group(self) -> str:
        """The sidebar's section: the agent's views, queues, or saved views."""
        if self.saved is not None:
            return "saved"
        return "queues" if self.key.startswith("queue:") else "views"

    @property
    def url(self) -> str:
        query = self.filters.to_query()
        return f"{self.path}?{query}" if query else self.path

    @property
    def fixed(self) -> frozenset[str]:
        """The filters the view itself decides, left out of the filter form."""
        return frozenset(name for name, _value in self.implied)

    def counting_condition(self, agent: Agent) -> Q:
        return self.tickets & self.filters.counting_condition(agent)


def queue_key(slug: str) -> str:
    return f"queue:{slug}"


def saved_key(pk: int) -> str:
    return f"saved:{pk}"


def scopes_for(user: User, agent: Agent, saved_views: Sequence[SavedView]) -> list[Scope]:
    queues = queries.worked_queues(user)
    worked = {queue.pk for queue in queues}
    scopes = [
        Scope(
            MINE,
            _("My tickets"),
            reverse("desk:home"),
            Q(assignee=agent),
            (("assignee", ME),),
            holds=lambda row: row.mine,
        ),
        Scope(
            UNASSIGNED,
            _("Unassigned"),
            reverse("desk:unassigned"),
            Q(assignee__isnull=True, queue_id__in=sorted(worked)),
            (("assignee", NOBODY),),
            holds=lambda row: row.nobody and row.queue_id in worked,
        ),
    ]
    scopes += [
        Scope(
            queue_key(queue.slug),
            queue.name,
            reverse("desk:queue", args=[queue.slug]),
            Q(queue=queue),
            (("queue", queue.pk),),
            holds=lambda row, pk=queue.pk: row.queue_id == pk,  # type: ignore[misc]
        )
        for queue in queues
    ]
    if agent.sees_all_queues:
        scopes.append(Scope(EVERYTHING, _("All"), reverse("desk:all"), holds=lambda row: True))
    scopes += [
        Scope(
            saved_key(view.pk),
            view.name,
            reverse("desk:saved-view", args=[view.pk]),
            filters=InboxFilters.from_string(view.query),
            saved=view,
        )
        for view in saved_views
    ]
    return scopes


@dataclass(frozen=True)
class SidebarEntry:
    scope: Scope
    count: int
    current: bool


def sidebar(
    user: User, agent: Agent, scopes: Sequence[Scope], current: Scope, stamp: str
) -> list[SidebarEntry]:
    """Each view with how many tickets it holds right now, counted in one or two queries
    (`_count`) and kept under the tickets' `stamp` (`freshness`): the next page or refresh of the same
    views reads the counts back until a ticket changes, or for a minute at most."""
    views = repr([(user.pk, stamp), *((scope.key, scope.filters.to_query()) for scope in scopes)])
    key = "inbox-counts:" + hashlib.sha256(views.encode()).hexdigest()
    counts = cache.get(key)
    if counts is None:
        counts = _count(user, agent, scopes)
        cache.set(key, counts, freshness.HOLDS_FOR)
    return [SidebarEntry(scope, counts[scope.key], scope.key == current.key) for scope in scopes]


def _count(user: User, agent: Agent, scopes: Sequence[Scope]) -> dict[str, int]:
    """Every view's count. For those who see every queue, the built-in views come from one
    pass over the open tickets (`queries.open_tally_for_agent`) and only the saved views
    are counted apart; an agent of a few queues counts each view by itself, which reads
    only those queues' part of the open-ticket index."""
    tallied = [
        (scope.key, scope.holds)
        for scope in scopes
        if agent.sees_all_queues and scope.holds is not None and scope.filters == InboxFilters()
    ]
    counts: dict[str, int] = {}
    if tallied:
        rows = queries.open_tally_for_agent(user)
        counts = {key: sum(row.count for row in rows if holds(row)) for key, holds in tallied}
    apart = [scope for scope in scopes if scope.key not in counts]
    if apart:
        found = queries.view_counts_for_agent(
            user, {f"v{index}": scope.counting_condition(agent) for index, scope in enumerate(apart)}
        )
        counts |= {scope.key: found[f"v{index}"] for index, scope in enumerate(apart)}
    return counts
