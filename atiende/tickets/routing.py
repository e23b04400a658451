"""Where a new ticket goes, and what a company's contacts are offered.

- A routing rule sends a company's tickets, or those of requesters writing from an email
  domain, to one queue, on every channel (`open_ticket` asks `routed_queue`). The company's
  rule wins over a domain's; without one, the queue the channel asked for stays.
- The portal's *Para* offers a company the queues open to clients that are not another
  company's own (`queues_offered_to`), and its filters the services of its own contracts
  (`services_offered_to`): no contact reads another client's names.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from atiende.accounts.models import Contact, Organization
from atiende.kept import Kept
from atiende.tickets.models import Contract, Queue, RoutingRule, Service


def queues_offered_to(organizations: Organization | QuerySet[Organization]) -> QuerySet[Queue]:
    """The active queues the company's contacts may address a ticket to."""
    own = (
        Q(organization=organizations)
        if isinstance(organizations, Organization)
        else Q(organization__in=organizations)
    )
    return Queue.objects.filter(Q(organization__isnull=True) | own, is_active=True, offered_to_clients=True)


def services_offered_to(organization: Organization) -> QuerySet[Service]:
    """The services of the company's own contracts (past ones too: their tickets remain)
    and on-demand support."""
    contracted = Contract.objects.filter(organization=organization).values("service_id")
    return Service.objects.filter(Q(pk__in=contracted) | Q(is_on_demand=True), is_active=True)


def _domain_of(contact: Contact) -> str:
    email = contact.user.email
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""


@dataclass(frozen=True)
class _Rules:
    by_company: dict[int, RoutingRule]
    by_domain: dict[str, RoutingRule]

    @classmethod
    def read(cls) -> _Rules:
        rules = list(RoutingRule.objects.filter(queue__is_active=True).select_related("queue"))
        return cls(
            {rule.organization_id: rule for rule in rules if rule.organization_id is not None},
            {rule.email_domain.lower(): rule for rule in rules if rule.organization_id is None},
        )


# The rules whose queue is open, kept per process: every ticket opened on any channel asks.
rules = Kept("routing-rules", _Rules.read)


def watch() -> None:
    rules.watch((RoutingRule, Queue))


def rule_for(organization: Organization, requester: Contact | None) -> RoutingRule | None:
    """The rule that applies to a ticket of this company and requester, if any: the
    company's, else the requester's domain's. A rule whose queue is closed applies no more."""
    kept = rules.load()
    domain = _domain_of(requester) if requester is not None else ""
    rule = kept.by_company.get(organization.pk) or (kept.by_domain.get(domain) if domain else None)
    return copy.deepcopy(rule) if rule is not None else None


def routed_queue(organization: Organization, requester: Contact, asked: Queue | None) -> Queue | None:
    rule = rule_for(organization, requester)
    return rule.queue if rule is not None else asked
