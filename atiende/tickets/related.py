"""Whether a ticket has any rows of one kind, asked in the statement that reads the ticket.

A ticket page shows many small lists that most tickets leave empty: links, a rating, a
major incident, WhatsApp sends, time entries, tags, copies. Reading each is a statement
of its own, and the statements cost more to compile and send than to run. The page asks
instead, as `EXISTS` columns of the ticket's own statement, which of them hold anything
(`access.get_ticket_for_user(..., asking=...)`), and each reader skips the read when the
answer is no. A ticket read without asking is taken to have rows of every kind, so
readers behave as before anywhere else.

Ask only where nothing changes between reading the ticket and drawing the page (a GET):
an action that adds a row would otherwise leave its answer stale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.expressions import BaseExpression


class Question(Protocol):
    """Something a page asks of a ticket as it reads it: one column of the statement."""

    @property
    def attribute(self) -> str: ...

    def column(self) -> BaseExpression: ...


@dataclass(frozen=True)
class Related:
    name: str
    # The rows of the ticket whose id is `ticket` (an `OuterRef` when asked).
    rows: Callable[[Any], QuerySet[Any]]

    @property
    def attribute(self) -> str:
        return f"has_{self.name}"

    def column(self) -> BaseExpression:
        return Exists(self.rows(OuterRef("pk")))

    def absent(self, ticket: object) -> bool:
        """True only when the ticket was read asking, and it has none."""
        return getattr(ticket, self.attribute, True) is False


def asked(questions: Iterable[Question]) -> dict[str, BaseExpression]:
    """The columns that answer these questions, to annotate the ticket with."""
    return {question.attribute: question.column() for question in questions}
