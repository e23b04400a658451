"""One change applied to many tickets: each ticket goes through the same domain action as
a change made on its page, and each answers for itself (done, or refused and why), so a
batch never half-succeeds in silence."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from atiende.accounts.models import Agent, User
from atiende.errors import DomainError, InvalidValue
from atiende.tickets import access, actions
from atiende.tickets.models import Priority, Queue, Status, Ticket

MAX_BATCH = 200
CLOSE = "close"


@dataclass(frozen=True)
class BulkChange:
    """What to do to every selected ticket, resolved to the records it names."""

    kind: str  # assign, stage, priority, queue, tag, close
    value: str  # the form's value, carried to the confirmation and back
    tag: str = ""
    agent: Agent | None = None
    status: Status | None = None
    priority: Priority | None = None
    queue: Queue | None = None

    @property
    def description(self) -> str:
        if self.kind == "assign":
            if self.agent is None:
                return _("Unassign (back to the queue)")
            return _("Assign to %(agent)s") % {"agent": self.agent}
        if self.kind == "stage":
            return _("Change the stage to %(stage)s") % {"stage": self.status}
        if self.kind == "priority":
            return _("Change the priority to %(priority)s") % {"priority": self.priority}
        if self.kind == "queue":
            return _("Move to the queue %(queue)s") % {"queue": self.queue}
        if self.kind == "tag":
            return _("Add the tag %(tag)s") % {"tag": self.tag}
        return _("Close the tickets")

    def apply(self, actor: User, ticket: Ticket) -> bool:
        """Apply through the domain actions; whether anything changed."""
        if self.kind == CLOSE:
            actions.close_ticket(actor, ticket)
            return True
        if self.kind == "tag":
            current = [tag.name for tag in ticket.tags.all()]
            return bool(actions.change_ticket(actor, ticket, tags=[*current, self.tag]))
        if self.kind == "assign":
            changed = actions.change_ticket(actor, ticket, assignee=self.agent)
        elif self.status is not None:
            changed = actions.change_ticket(actor, ticket, status=self.status)
        elif self.priority is not None:
            changed = actions.change_ticket(actor, ticket, priority=self.priority)
        elif self.queue is not None:
            changed = actions.change_ticket(actor, ticket, queue=self.queue)
        else:
            raise InvalidValue("change", _("Choose what to change."))
        return bool(changed)


def _pk(value: str) -> int:
    if not value.isdigit() or len(value) > 11:
        raise InvalidValue("change", _("Choose what to change."))
    return int(value)


def parse_change(data: QueryDict, actor: User) -> BulkChange:
    """The change chosen in the bulk bar (`change` is `kind:value`); refused when it names
    nothing that exists."""
    raw = data.get("change", "")
    kind, _sep, value = raw.partition(":")
    missing = InvalidValue("change", _("Choose what to change."))
    if kind == CLOSE:
        return BulkChange(CLOSE, raw)
    if kind == "tag":
        tag = " ".join(data.get("tag", "").split()).lower()
        if not tag:
            raise InvalidValue("tag", _("Write the tag to add."))
        if len(tag) > 60:
            raise InvalidValue("tag", _("A tag is limited to 60 characters."))
        return BulkChange("tag", raw, tag=tag)
    if kind == "assign":
        if value == "none":
            return BulkChange("assign", raw)
        agent = (
            access.active_agent(actor)
            if value == "me"
            else Agent.objects.engineers().filter(pk=_pk(value)).select_related("user").first()
        )
        if agent is None:
            raise missing
        return BulkChange("assign", raw, agent=agent)
    if kind == "stage":
        status = Status.objects.filter(pk=_pk(value)).first()
        if status is None:
            raise missing
        return BulkChange("stage", raw, status=status)
    if kind == "priority":
        priority = Priority.objects.filter(pk=_pk(value)).first()
        if priority is None:
            raise missing
        return BulkChange("priority", raw, priority=priority)
    if kind == "queue":
        queue = Queue.objects.filter(pk=_pk(value), is_active=True).first()
        if queue is None:
            raise missing
        return BulkChange("queue", raw, queue=queue)
    raise missing


def parse_numbers(values: Iterable[str]) -> list[int]:
    """The selected ticket numbers, once each, in the order they were listed."""
    numbers: dict[int, None] = {}
    for value in values:
        value = value.strip().removeprefix("#")
        if value.isdigit() and len(value) < 13:
            numbers[int(value)] = None
    return list(numbers)


def check_batch(numbers: Sequence[int]) -> None:
    if not numbers:
        raise InvalidValue("ticket", _("Select at least one ticket."))
    if len(numbers) > MAX_BATCH:
        raise InvalidValue(
            "ticket",
            _(
                "You selected %(count)s tickets; a change applies to at most %(max)s at a time. "
                "Narrow the list with filters, or apply it in several batches."
            )
            % {"count": len(numbers), "max": MAX_BATCH},
        )


def tickets_for_batch(user: User, numbers: Sequence[int]) -> dict[int, Ticket]:
    """The selected tickets this agent may see, by number: the others are not loaded at all."""
    tickets = (
        access.tickets_visible_to(user)
        .filter(number__in=numbers)
        .select_related("status", "priority", "queue", "organization", "assignee__user")
        .prefetch_related("tags")
    )
    return {ticket.number: ticket for ticket in tickets}


@dataclass(frozen=True)
class Outcome:
    number: int
    ticket: Ticket | None
    done: bool
    message: str


def apply_to_batch(actor: User, change: BulkChange, numbers: Sequence[int]) -> list[Outcome]:
    tickets = tickets_for_batch(actor, numbers)
    outcomes = []
    for number in numbers:
        ticket = tickets.get(number)
        if ticket is None:
            outcomes.append(Outcome(number, None, False, _("Not found, or not in your queues.")))
            continue
        try:
            changed = change.apply(actor, ticket)
        except DomainError as refusal:
            outcomes.append(Outcome(number, ticket, False, refusal.message))
            continue
        outcomes.append(
            Outcome(number, ticket, True, "" if changed else _("It already was: nothing changed."))
        )
    return outcomes
