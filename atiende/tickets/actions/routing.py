"""Routing rules and what the portal offers, kept from *Configuración* by supervisors and
administrators."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from atiende.accounts.directory import may_keep_companies
from atiende.accounts.models import Organization, User
from atiende.errors import InvalidValue, NotAllowed
from atiende.tickets.models import Queue, RoutingRule

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _refuse_unless_allowed(actor: User) -> None:
    if not may_keep_companies(actor):
        raise NotAllowed(_("Only supervisors and administrators can change routing."))


def add_routing_rule(
    actor: User, *, queue: Queue, organization: Organization | None = None, email_domain: str = ""
) -> RoutingRule:
    """From now on, new tickets of this company (or of requesters writing from this domain)
    go to `queue`, whatever channel they come by. A company's rule replaces its previous one."""
    _refuse_unless_allowed(actor)
    domain = email_domain.strip().lower().lstrip("@")
    if (organization is None) == (not domain):
        raise InvalidValue("organization", _("Choose a company or write an email domain, not both."))
    if domain and not _DOMAIN.match(domain):
        raise InvalidValue("email_domain", _("Write a domain such as acme.com.co (without the @)."))
    if not queue.is_active:
        raise InvalidValue("queue", _("This queue no longer takes tickets."))
    if (
        queue.organization_id is not None
        and organization is not None
        and queue.organization_id != organization.pk
    ):
        raise InvalidValue("queue", _("This queue belongs to another company."))
    with transaction.atomic():
        if organization is not None:
            rule, _created = RoutingRule.objects.update_or_create(
                organization=organization, defaults={"queue": queue}
            )
        else:
            rule, _created = RoutingRule.objects.update_or_create(
                email_domain=domain, defaults={"queue": queue}
            )
    return rule


def remove_routing_rule(actor: User, rule: RoutingRule) -> None:
    """New tickets go again where each channel sends them; tickets already routed stay."""
    _refuse_unless_allowed(actor)
    rule.delete()


def offer_queue(actor: User, queue: Queue, *, to_clients: bool, organization: Organization | None) -> Queue:
    """Whether contacts see the queue in *Para*, and whether it is one client's own (no
    other company's contacts ever see it)."""
    _refuse_unless_allowed(actor)
    queue.offered_to_clients = to_clients
    queue.organization = organization
    queue.save(update_fields=["offered_to_clients", "organization"])
    return queue
