"""Names for the ids the rollups keep, per property a report breaks figures down by."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from atiende.accounts.models import Agent, Organization
from atiende.tickets.models import Category, Channel, Priority, Queue, TicketType


def labels_for(group: str) -> dict[Any, str]:
    if group == "channel":
        return {choice.value: str(choice.label) for choice in Channel}
    if group == "engineer":
        agents = Agent.objects.values_list("id", "user__full_name", "user__email")
        return {None: _("Unassigned"), **{pk: name or email for pk, name, email in agents}}
    if group == "company":
        # Thousands of companies: their names only, never whole rows.
        return dict(Organization.objects.values_list("id", "name"))
    if group == "category":
        return {None: _("No category"), **{item.id: str(item) for item in Category.objects.all()}}
    model = {"queue": Queue, "type": TicketType, "priority": Priority}[group]
    return {item.pk: str(item) for item in model.objects.all()}  # type: ignore[attr-defined]


def filter_options(known: dict[str, dict[Any, str]] | None = None) -> dict[str, list[tuple[object, str]]]:
    """The choices of each filter of the dashboard's form, by name (`known`: names
    already read, by group)."""
    options: dict[str, list[tuple[object, str]]] = {}
    for name in ("queue", "company", "category", "type", "priority", "channel", "engineer"):
        named = (known or {}).get(name) or labels_for(name)
        options[name] = sorted(
            ((key, label) for key, label in named.items() if key is not None),
            key=lambda item: item[1].lower(),
        )
    return options
