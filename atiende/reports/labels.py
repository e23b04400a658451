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
        agents = Agent.objects.select_related("user")
        return {
            None: _("Unassigned"),
            **{agent.id: agent.user.get_full_name() or agent.user.email for agent in agents},
        }
    if group == "category":
        return {None: _("No category"), **{item.id: str(item) for item in Category.objects.all()}}
    model = {"queue": Queue, "company": Organization, "type": TicketType, "priority": Priority}[group]
    return {item.pk: str(item) for item in model.objects.all()}  # type: ignore[attr-defined]


def filter_options() -> dict[str, list[tuple[object, str]]]:
    """The choices of each filter of the dashboard's form, by name."""
    options: dict[str, list[tuple[object, str]]] = {}
    for name in ("queue", "company", "category", "type", "priority", "channel", "engineer"):
        named = labels_for(name)
        options[name] = sorted(
            ((key, label) for key, label in named.items() if key is not None),
            key=lambda item: item[1].lower(),
        )
    return options
