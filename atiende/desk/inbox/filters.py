"""The inbox's filters, sort and search, read from and written back to the URL, so the
back button, shared links and saved views all reproduce the same list.

Parsing never touches the database and never fails: a value that does not parse is
dropped, and an id that matches nothing simply matches no ticket. The form in `forms.py`
only draws these values.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import Agent
from atiende.desk.common import typed
from atiende.tickets import search
from atiende.tickets.models import Channel, Tag, Ticket
from atiende.tickets.queries import closed, still_open
from atiende.ui.bounds import parse_date, parse_id

STATES = ("open", "closed", "all")
ME, NOBODY = "me", "none"

# Each sortable column and the fields it orders by; the id breaks ties so pages never
# overlap or skip a ticket.
SORT_FIELDS: dict[str, tuple[str, ...]] = {
    "number": ("number",),
    "subject": ("subject",),
    "company": ("organization__name",),
    "requester": ("requester__user__full_name", "requester__user__email"),
    "stage": ("status__position",),
    "priority": ("priority__level",),
    "assignee": ("assignee__user__full_name",),
    "activity": ("last_activity_at",),
}
DEFAULT_SORT = "-activity"
# Most recent activity is what people want first; every other column starts ascending.
FIRST_DIRECTION_DESCENDING = frozenset({"activity"})


def _ints(values: Iterable[str]) -> tuple[int, ...]:
    return tuple(sorted({number for value in values if (number := parse_id(value)) is not None}))


def _int(value: str | None) -> int | None:
    return parse_id(value)


def _date(value: str | None) -> datetime.date | None:
    # Bounded: a day in year 9999 has no next day to filter up to.
    return parse_date(value)


def _start_of(day: datetime.date) -> datetime.datetime:
    # The agent's own day: the middleware activated their time zone for this request.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class InboxFilters:
    q: str = ""
    state: str = "open"
    stage: tuple[int, ...] = ()
    priority: tuple[int, ...] = ()
    type: tuple[int, ...] = ()
    channel: tuple[str, ...] = ()
    queue: int | None = None
    category: int | None = None
    company: str = ""  # a company's id, or words of its name
    tag: str = ""
    assignee: str = ""  # ME, NOBODY, or an agent's id
    requester: str = ""  # a contact's id, or words of their name or email
    created_from: datetime.date | None = None
    created_to: datetime.date | None = None
    active_from: datetime.date | None = None
    active_to: datetime.date | None = None
    sort: str = DEFAULT_SORT

    @classmethod
    def from_query(cls, data: QueryDict) -> InboxFilters:
        channels = {choice.value for choice in Channel}
        assignee = data.get("assignee", "").strip()
        sort = data.get("sort", "")
        state = data.get("state", "")
        return cls(
            q=typed(data.get("q"), 200),
            state=state if state in STATES else "open",
            stage=_ints(data.getlist("stage")),
            priority=_ints(data.getlist("priority")),
            type=_ints(data.getlist("type")),
            channel=tuple(sorted(set(data.getlist("channel")) & channels)),
            queue=_int(data.get("queue")),
            category=_int(data.get("category")),
            company=typed(data.get("company"), 120),
            tag=typed(data.get("tag"), 60).lower(),
            assignee=assignee if assignee in {ME, NOBODY} or _int(assignee) else "",
            requester=typed(data.get("requester"), 120),
            created_from=_date(data.get("created_from")),
            created_to=_date(data.get("created_to")),
            active_from=_date(data.get("active_from")),
            active_to=_date(data.get("active_to")),
            sort=sort if sort.removeprefix("-") in SORT_FIELDS else DEFAULT_SORT,
        )

    @classmethod
    def from_string(cls, query: str) -> InboxFilters:
        return cls.from_query(QueryDict(query))

    def replace(self, **changes: object) -> InboxFilters:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def params(self) -> list[tuple[str, str]]:
        """The non-default values as URL parameters, always in the same order, so equal
        filters give equal URLs (that is how the sidebar knows a saved view is showing)."""
        default = InboxFilters()
        pairs: list[tuple[str, str]] = []
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if value == getattr(default, field.name):
                continue
            values = value if isinstance(value, tuple) else (value,)
            pairs.extend((field.name, str(item)) for item in values)
        return pairs

    def to_query(self) -> str:
        return urlencode(self.params())

    @property
    def company_id(self) -> int | None:
        """The company's id when the filter names one by id (links, older saved views)."""
        return _int(self.company)

    @property
    def filtered(self) -> bool:
        """Whether anything narrows the list beyond the view itself (sort aside)."""
        return any(name != "sort" for name, _value in self.params())

    @property
    def detail_count(self) -> int:
        """How many of the filters under *Filtros* are in use (search and state aside)."""
        return len({name for name, _value in self.params()} - {"q", "state", "sort"})

    def condition(self, agent: Agent) -> Q:
        """Every filter except the words searched for, as one condition."""
        condition = Q()
        if self.state == "open":
            condition &= still_open()
        elif self.state == "closed":
            condition &= closed()
        for field, values in (
            ("status_id", self.stage),
            ("priority_id", self.priority),
            ("type_id", self.type),
            ("channel", self.channel),
        ):
            if values:
                condition &= Q(**{f"{field}__in": values})
        if self.queue is not None:
            condition &= Q(queue_id=self.queue)
        if self.company:
            condition &= (
                Q(organization_id=self.company_id)
                if self.company_id is not None
                else Q(organization__name__icontains=self.company)
            )
        if self.category is not None:
            # A category also finds the tickets filed under its subcategories.
            condition &= Q(category_id=self.category) | Q(category__parent_id=self.category)
        if self.tag:
            tagged = Ticket.tags.through.objects.filter(tag__in=Tag.objects.filter(name=self.tag))
            condition &= Q(pk__in=tagged.values("ticket_id"))
        condition &= self._assignee_condition(agent) & self._requester_condition()
        for field, start, end in (
            ("created_at", self.created_from, self.created_to),
            ("last_activity_at", self.active_from, self.active_to),
        ):
            if start is not None:
                condition &= Q(**{f"{field}__gte": _start_of(start)})
            if end is not None:
                condition &= Q(**{f"{field}__lt": _start_of(end + datetime.timedelta(days=1))})
        return condition

    def _assignee_condition(self, agent: Agent) -> Q:
        if self.assignee == ME:
            return Q(assignee=agent)
        if self.assignee == NOBODY:
            return Q(assignee__isnull=True)
        if self.assignee:
            return Q(assignee_id=int(self.assignee))
        return Q()

    def _requester_condition(self) -> Q:
        if not self.requester:
            return Q()
        if (requester_id := _int(self.requester)) is not None:
            return Q(requester_id=requester_id)
        return Q(requester__user__full_name__icontains=self.requester) | Q(
            requester__user__email__icontains=self.requester
        )

    def counting_condition(self, agent: Agent) -> Q:
        """The whole filter, search included, for counting inside one aggregate."""
        if not self.q:
            return self.condition(agent)
        found = search.matching(Ticket.objects.all(), self.q, viewer=agent.user).values("pk")
        return self.condition(agent) & Q(pk__in=found)

    def apply(self, tickets: QuerySet[Ticket], agent: Agent) -> QuerySet[Ticket]:
        tickets = tickets.filter(self.condition(agent))
        if self.q:
            tickets = search.ranked(tickets, self.q, viewer=agent.user)
            if self.sort == DEFAULT_SORT:
                # Words searched for and no column chosen: the best matches first.
                return tickets.order_by(*search.RELEVANCE, *self.ordering())
        return tickets.order_by(*self.ordering())

    def ordering(self) -> list[OrderBy]:
        column = self.sort.removeprefix("-")
        descending = self.sort.startswith("-")
        fields = [*SORT_FIELDS[column], "id"]
        return [
            F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True) for name in fields
        ]


@dataclass(frozen=True)
class Column:
    """A column header of the list: its label, and the link that sorts by it."""

    key: str
    label: str | Promise
    href: str | None = None
    sorted: Literal["ascending", "descending"] | None = None
    css: str = ""


COLUMNS: list[tuple[str, Promise, str]] = [
    ("number", _("Number"), "num"),
    ("subject", _("Subject"), "subject"),
    ("company", _("Company"), "col-company wide-only"),
    ("requester", _("Requester"), "col-requester wide-only"),
    ("stage", _("Stage"), "col-stage"),
    ("priority", _("Priority"), "col-priority wide-only"),
    ("assignee", _("Assignee"), "col-assignee wide-only"),
    ("activity", _("Last activity"), "when"),
]


def columns(filters: InboxFilters) -> list[Column]:
    current = filters.sort.removeprefix("-")
    descending = filters.sort.startswith("-")
    result = []
    for key, label, css in COLUMNS:
        if key == current:
            next_sort = key if descending else f"-{key}"
            state: Literal["ascending", "descending"] | None = "descending" if descending else "ascending"
        else:
            next_sort = f"-{key}" if key in FIRST_DIRECTION_DESCENDING else key
            state = None
        href = "?" + filters.replace(sort=next_sort).to_query()
        result.append(Column(key, label, href, state, css))
    return result
