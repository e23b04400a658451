"""What the portal's filters and ticket page name and offer — stages, types, categories,
queues, services, each company's contracted services and locations — kept in each
process's memory (`atiende.kept`), read again after any change to one of them.

What a company is offered is decided here from those lists with the same rules as
`tickets.routing` (`queues_offered_to`, `services_offered_to`), so a filter never lists,
nor accepts from the URL, another client's queue or service.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from atiende.accounts.models import Location
from atiende.kept import Kept
from atiende.tickets.models import Category, Contract, Queue, Service, Status, TicketType


@dataclass(frozen=True)
class Catalog:
    statuses: list[Status]
    types: dict[int, TicketType]  # every one, active or not: a ticket may name an old one
    categories: dict[int, Category]
    queues: list[Queue]
    services: dict[int, Service]
    contracted: dict[int, frozenset[int]]  # company → services of its contracts, past ones too
    locations: dict[int, list[Location]]  # company → its active locations

    @classmethod
    def read(cls) -> Catalog:
        contracted: defaultdict[int, set[int]] = defaultdict(set)
        for company, service in Contract.objects.order_by().values_list("organization_id", "service_id"):
            contracted[company].add(service)
        locations: defaultdict[int, list[Location]] = defaultdict(list)
        for location in Location.objects.filter(is_active=True).order_by("name"):
            locations[location.organization_id].append(location)
        return cls(
            statuses=list(Status.objects.all()),
            types={t.pk: t for t in TicketType.objects.all()},
            categories={c.pk: c for c in Category.objects.select_related("parent")},
            queues=list(Queue.objects.filter(is_active=True, offered_to_clients=True)),
            services={s.pk: s for s in Service.objects.all()},
            contracted={company: frozenset(services) for company, services in contracted.items()},
            locations=dict(locations),
        )

    def active_types(self) -> list[TicketType]:
        return [t for t in self.types.values() if t.is_active]

    def active_categories(self) -> list[Category]:
        return [c for c in self.categories.values() if c.is_active]

    def location(self, company: int, pk: int | None) -> Location | None:
        """One of the company's active locations (None for another: the caller reads it)."""
        return next((place for place in self.locations.get(company, []) if place.pk == pk), None)

    def queues_offered_to(self, company: int) -> list[Queue]:
        """The active queues the company's contacts may address a ticket to."""
        return [q for q in self.queues if q.organization_id in (None, company)]

    def services_offered_to(self, company: int) -> list[Service]:
        """The services of the company's own contracts and on-demand support."""
        own = self.contracted.get(company, frozenset())
        return [s for s in self.services.values() if s.is_active and (s.pk in own or s.is_on_demand)]


kept = Kept("portal", Catalog.read)
SOURCES = (Status, TicketType, Category, Queue, Service, Contract, Location)


def load() -> Catalog:
    return kept.load()
