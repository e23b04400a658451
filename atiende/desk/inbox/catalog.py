"""The short lists the inbox's filters and bulk bar offer (stages, priorities, types,
categories, queues, tags, agents) and the ticket page's choices (each company's sites, the
on-demand service, the canned replies), kept in memory between requests.

Every inbox page needs them and they change rarely, so each process keeps the last copy it
read and reads them again when they may have changed (`atiende.kept`): any save or delete
of one of these rows (or of a user) changes a version kept in the shared cache.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from atiende.accounts.models import Agent, Location, User
from atiende.kept import Kept
from atiende.tickets.models import (
    CannedReply,
    Category,
    Priority,
    Queue,
    Service,
    Status,
    Tag,
    TicketType,
)

MAX_DRAWN = 500


@dataclass(frozen=True)
class Catalog:
    statuses: list[Status]
    priorities: list[Priority]
    types: list[TicketType]
    categories: list[Category]
    queues: list[Queue]
    tags: list[Tag]
    agents: list[Agent]
    sites: dict[int, list[tuple[int, str]]]  # company → its active locations (id, name), by name
    on_demand: Service | None  # the service billed by the hour without a contract
    canned: list[CannedReply]  # the active canned replies, by title
    # HTML drawn from these lists (the filter form, the bulk bar's choices), kept as long as
    # this copy is: a change to the catalog brings a new copy and so new drawings.
    drawn: dict[Hashable, str] = field(default_factory=dict, compare=False, repr=False)

    def keep(self, key: Hashable, draw: Callable[[], str]) -> str:
        """What `draw` returns for `key`, drawn once for this copy of the catalog."""
        html = self.drawn.get(key)
        if html is None:
            if len(self.drawn) >= MAX_DRAWN:
                self.drawn.clear()
            html = self.drawn[key] = draw()
        return html

    @classmethod
    def read(cls) -> Catalog:
        sites: defaultdict[int, list[tuple[int, str]]] = defaultdict(list)
        places = Location.objects.filter(is_active=True).order_by("name")
        for pk, company, name in places.values_list("pk", "organization_id", "name"):
            sites[company].append((pk, name))
        return cls(
            statuses=list(Status.objects.all()),
            priorities=list(Priority.objects.all()),
            types=list(TicketType.objects.filter(is_active=True)),
            categories=sorted(
                Category.objects.filter(is_active=True).select_related("parent"), key=lambda c: c.name
            ),
            queues=list(Queue.objects.filter(is_active=True)),
            tags=list(Tag.objects.all()),
            agents=list(Agent.objects.engineers().select_related("user").order_by("user__full_name")),
            sites=dict(sites),
            on_demand=Service.objects.filter(is_on_demand=True, is_active=True).first(),
            canned=list(CannedReply.objects.filter(is_active=True).order_by("title", "pk")),
        )

    def canned_for(self, queue_id: int) -> list[CannedReply]:
        """The canned replies offered in this queue: its own and those of every queue."""
        return [reply for reply in self.canned if reply.queue_id in (None, queue_id)]


kept = Kept("desk", Catalog.read, quiet_fields=frozenset({"last_login"}))
load = kept.load
changed = kept.changed


def watch() -> None:
    """Read the catalog again after any change of what it lists (from the app's `ready()`)."""
    kept.watch(
        (Status, Priority, TicketType, Category, Queue, Tag, Agent, User, Location, Service, CannedReply),
        relations=(Queue.agents.through,),
    )
