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

Each question's column is compiled to SQL once per process (`asked`): built as a
subquery by the ORM on every request, the six of a desk ticket page cost more Python
(about 1.7 ms) than the statements they replaced.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.expressions import BaseExpression, RawSQL

from atiende.tickets.models import Ticket


class Question(Protocol):
    """Something a page asks of a ticket as it reads it: one column of the statement."""

    @property
    def attribute(self) -> str: ...

    def column(self) -> BaseExpression: ...

    def __hash__(self) -> int: ...  # its column is compiled once per question


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
    return {question.attribute: _compiled(question, connection.vendor) for question in questions}


@functools.lru_cache(maxsize=2048)
def _compiled(question: Question, vendor: str) -> RawSQL:
    """The question's column as the SQL the ORM writes for it inside a statement on
    tickets, its own tables renamed apart (`U0`…) and the ticket named by its table, as
    it is in a statement read from `Ticket`. Kept per question (a person's seen mark is
    a question of its own) and database vendor.

    Because the SQL is kept, a question's rows may depend only on the ticket and on values
    fixed when the question is made (a person's key): never on the time, a request, or
    anything read from the database while its column is built."""
    outer = Ticket.objects.all().query
    column = question.column().resolve_expression(outer, allow_joins=True)
    sql, params = column.as_sql(outer.get_compiler(connection=connection), connection)
    return RawSQL(sql, tuple(params), output_field=column.output_field)  # noqa: S611 - the ORM wrote it
