"""Every status, priority, queue and ticket type by id, kept in each process's memory
(`atiende.kept`).

A ticket read on its own (its page on the desk or the portal, a reply) takes these three
from here instead of joining their tables, and opening a ticket its first stage and its
priority: in a join of nine tables they cost PostgreSQL
more to plan (about 4 ms of a ticket page's CPU) than the whole statement costs to run;
opening a ticket takes the default type from here too.
Each ticket gets its own copies, so nothing one request does to them reaches another.

The companies and the engineers (`parties`) are kept the same way, for the same reason: a
ticket read alone joins only its requester."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.db.models import Model

from atiende.accounts.models import Agent, Organization, User
from atiende.kept import Kept
from atiende.tickets.models import Priority, Queue, Status, Ticket, TicketType

ATTACHED = ("status", "priority", "queue")


@dataclass(frozen=True)
class Vocabulary:
    status: dict[int, Status]
    priority: dict[int, Priority]
    queue: dict[int, Queue]
    types: dict[int, TicketType]

    def default_status(self, kind: str) -> Status | None:
        return next((row for row in self.status.values() if row.kind == kind and row.is_default), None)

    def priority_of_level(self, level: int) -> Priority | None:
        """The first priority (by id) of this Covey level."""
        return min(
            (row for row in self.priority.values() if row.covey == level),
            key=lambda row: row.pk,
            default=None,
        )

    def default_type(self) -> TicketType | None:
        return next((row for row in self.types.values() if row.is_default), None)

    @classmethod
    def read(cls) -> Vocabulary:
        return cls(
            status={row.pk: row for row in Status.objects.all()},
            priority={row.pk: row for row in Priority.objects.all()},
            queue={row.pk: row for row in Queue.objects.all()},
            types={row.pk: row for row in TicketType.objects.all()},
        )


kept = Kept("ticket-vocabulary", Vocabulary.read)


@dataclass(frozen=True)
class Parties:
    """Every company, every engineer with their account, and each queue's engineers, by id."""

    organization: dict[int, Organization]
    agent: dict[int, Agent]
    queue_agents: dict[int, tuple[int, ...]]

    @classmethod
    def read(cls) -> Parties:
        queue_agents: dict[int, tuple[int, ...]] = {}
        for queue_id, agent_id in Queue.agents.through.objects.order_by("agent_id").values_list(
            "queue_id", "agent_id"
        ):
            queue_agents[queue_id] = (*queue_agents.get(queue_id, ()), agent_id)
        return cls(
            organization={row.pk: row for row in Organization.objects.all()},
            agent={row.pk: row for row in Agent.objects.select_related("user")},
            queue_agents=queue_agents,
        )

    def engineer(self, agent_id: int) -> Agent | None:
        """A copy of the engineer with a copy of their account, or None if not kept."""
        agent = self.agent.get(agent_id)
        if agent is None:
            return None
        found = copy.copy(agent)
        Agent._meta.get_field("user").set_cached_value(found, copy.copy(agent.user))
        return found

    def engineers_of(self, queue_id: int) -> list[Agent] | None:
        """Copies of the queue's engineers by id, or None when one is not kept yet."""
        found = [self.engineer(agent_id) for agent_id in self.queue_agents.get(queue_id, ())]
        return None if None in found else [agent for agent in found if agent is not None]


# Signing in stamps `last_login` on the account: nothing kept changes.
parties = Kept("ticket-parties", Parties.read, quiet_fields=frozenset({"last_login"}))


def attach(ticket: Ticket) -> Ticket:
    """The ticket with its status, priority, queue, company and assignee set from the kept
    copies. One newer than a copy (created a moment ago in another process) is read as
    usual when used."""
    words = kept.load()
    for name in ATTACHED:
        found = getattr(words, name).get(getattr(ticket, f"{name}_id"))
        if found is not None:
            _set(ticket, name, copy.copy(found))
    known = parties.load()
    organization = known.organization.get(ticket.organization_id)
    if organization is not None:
        _set(ticket, "organization", copy.copy(organization))
    assignee = known.engineer(ticket.assignee_id) if ticket.assignee_id is not None else None
    if assignee is not None:
        _set(ticket, "assignee", assignee)
    return ticket


def _set(ticket: Ticket, name: str, row: Model) -> None:
    Ticket._meta.get_field(name).set_cached_value(ticket, row)  # type: ignore[union-attr]


def watch() -> None:
    kept.watch([Status, Priority, Queue, TicketType])
    parties.watch([Organization, Agent, User], relations=[Queue.agents.through])
