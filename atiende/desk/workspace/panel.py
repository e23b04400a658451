"""The properties panel as the page shows it, drawn without forms.

Its lists (stages, priorities, queues, types, categories, engineers) come from the desk's
catalog, which each process keeps (`desk/inbox/catalog.py`), and each control is written
out in Python: a page view reads only what is the ticket's own (its company's sites and
contracts, its tags and copies). A change still goes through the field's form
(`forms.PROPERTY_FORMS`), which validates against its own queryset; the tests hold the two
to the same options.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe

from atiende.accounts.models import AgentRole, Location
from atiende.desk.inbox import catalog
from atiende.desk.inbox.catalog import Catalog
from atiende.desk.workspace.forms import PROPERTY_FORMS, service_choices, service_value
from atiende.tickets import queries
from atiende.tickets.models import Category, Contract, Queue, Ticket, TicketType

Choices = list[tuple[Any, str]]

_SEE_ALL = {AgentRole.SUPERVISOR, AgentRole.ADMIN}


@dataclass(frozen=True)
class Property:
    """One property's row: its label, its control (HTML) and what was refused, if anything."""

    name: str
    label: str
    control: SafeString
    url: str
    error: str = ""
    help_text: str = ""

    @property
    def id(self) -> str:
        return f"id_{self.name}-value"

    @property
    def is_text(self) -> bool:
        """Tags and copies are typed, so they save on submit as well as on change."""
        return self.name in {"tags", "cc"}


def _attrs(name: str, disabled: bool, error: str, described: bool = False) -> str:
    attrs = f' id="id_{name}-value" name="{name}-value"'
    if disabled:
        attrs += " disabled"
    if error:
        attrs += f' aria-invalid="true" aria-describedby="id_{name}-value-error"'
    elif described and not disabled:  # the help beside it, shown while the ticket is open
        attrs += f' aria-describedby="id_{name}-value_helptext"'
    return attrs


def select(name: str, choices: Choices, chosen: object, *, disabled: bool, error: str = "") -> SafeString:
    """The same markup as the form's widget: escaped labels, the saved value selected."""
    current = "" if chosen is None else str(chosen)
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (key, mark_safe(" selected") if key == current else "", label)
            for key, label in ((str(key), label) for key, label in choices)
        ),
    )
    return mark_safe(f"<select{_attrs(name, disabled, error)}>{options}</select>")  # noqa: S308


def text_input(name: str, value: str, *, disabled: bool, error: str = "", **extra: str) -> SafeString:
    attrs = f' value="{escape(value)}"' if value else ""
    attrs += "".join(f' {key}="{escape(each)}"' for key, each in extra.items())
    return mark_safe(f'<input type="text"{attrs}{_attrs(name, disabled, error, True)}>')  # noqa: S308


def _active_with_current(active: Iterable[Any], current_id: int | None, model: Any) -> list[Any]:
    """The catalog's active rows, plus the retired one the ticket still holds (read then)."""
    rows = list(active)
    if current_id is not None and all(row.pk != current_id for row in rows):
        return list(model.objects.filter(Q(is_active=True) | Q(pk=current_id)))
    return rows


def _categories(listed: Catalog, current_id: int | None) -> list[Category]:
    rows = _active_with_current(listed.categories, current_id, Category)
    # As the form's queryset orders them: top-level first, then by parent, then by name.
    return sorted(
        rows, key=lambda c: (c.parent_id is not None, c.parent.name_es if c.parent else "", c.name_es)
    )


@dataclass(frozen=True)
class _Members:
    listed: Catalog
    by_queue: dict[int, frozenset[int]]


_members: _Members | None = None
_lock = threading.Lock()


def _queue_members(listed: Catalog) -> dict[int, frozenset[int]]:
    """Who belongs to which queue, read once per copy of the catalog: a change of members
    changes the catalog's version, so the next copy reads them again."""
    global _members
    kept = _members
    if kept is None or kept.listed is not listed:
        found: dict[int, set[int]] = {}
        for queue_id, agent_id in Queue.agents.through.objects.values_list("queue_id", "agent_id"):
            found.setdefault(queue_id, set()).add(agent_id)
        kept = _Members(listed, {queue: frozenset(agents) for queue, agents in found.items()})
        with _lock:
            _members = kept
    return kept.by_queue


def _assignees(listed: Catalog, queue_id: int) -> Choices:
    """The same rule as `access.may_be_assigned`: the queue's engineers and those who see
    every queue."""
    members = _queue_members(listed).get(queue_id, frozenset())
    offered = [agent for agent in listed.agents if agent.pk in members or agent.role in _SEE_ALL]
    offered.sort(key=lambda agent: (agent.user.full_name, agent.user.email))
    return [(agent.pk, str(agent)) for agent in offered]


def _sites(listed: Catalog, ticket: Ticket) -> Choices:
    """The company's active sites, and the ticket's own even if it was closed down since."""
    active = listed.sites.get(ticket.organization_id, [])
    if ticket.location_id is None or any(pk == ticket.location_id for pk, _name in active):
        return list(active)
    sites = Location.objects.filter(organization_id=ticket.organization_id)
    sites = sites.filter(Q(is_active=True) | Q(pk=ticket.location_id))
    return list(sites.order_by("name").values_list("pk", "name"))


def choices(ticket: Ticket, in_force: list[Contract] | None = None) -> dict[str, Choices]:
    """Every select's options for this ticket, as the forms would offer them."""
    listed = catalog.load()
    empty = {name: str(form.empty_label) for name, form in PROPERTY_FORMS.items() if form.empty_label}
    return {
        "status": [(status.pk, str(status)) for status in listed.statuses],
        "priority": [(priority.pk, str(priority)) for priority in listed.priorities],
        "queue": [(q.pk, str(q)) for q in _active_with_current(listed.queues, ticket.queue_id, Queue)],
        "type": [(t.pk, str(t)) for t in _active_with_current(listed.types, ticket.type_id, TicketType)],
        "category": [("", empty["category"])]
        + [(c.pk, str(c)) for c in _categories(listed, ticket.category_id)],
        "location": [("", empty["location"]), *_sites(listed, ticket)],
        "service": service_choices(ticket, in_force).choices,
        "assignee": [("", empty["assignee"]), *_assignees(listed, ticket.queue_id)],
    }


def properties(
    ticket: Ticket, errors: dict[str, str] | None = None, in_force: list[Contract] | None = None
) -> list[Property]:
    """The panel's rows, in the forms' order, each showing what is saved."""
    errors = errors or {}
    offered = choices(ticket, in_force)
    saved: dict[str, object] = {
        "status": ticket.status_id,
        "priority": ticket.priority_id,
        "queue": ticket.queue_id,
        "type": ticket.type_id,
        "category": ticket.category_id,
        "location": ticket.location_id,
        "service": service_value(ticket),
        "assignee": ticket.assignee_id,
    }
    closed = ticket.is_closed
    rows = []
    for name, form in PROPERTY_FORMS.items():
        error = errors.get(name, "")
        if name == "tags":
            tags = (
                ""
                if queries.TAGS.absent(ticket)
                else ", ".join(ticket.tags.order_by("name").values_list("name", flat=True))
            )
            control = text_input(name, tags, disabled=closed, error=error, autocomplete="off")
        elif name == "cc":
            copies = (
                ""
                if queries.COPIES.absent(ticket)
                else ", ".join(ticket.cc.order_by("email").values_list("email", flat=True))
            )
            control = text_input(
                name, copies, disabled=closed, error=error, autocomplete="off", inputmode="email"
            )
        else:
            control = select(name, offered[name], saved[name], disabled=closed, error=error)
        rows.append(
            Property(
                name=name,
                label=str(form.label),
                control=control,
                url=reverse("desk:ticket-property", args=[ticket.number, name]),
                error=error,
                help_text=str(form.help),
            )
        )
    return rows
