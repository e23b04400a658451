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
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet


@dataclass(frozen=True)
class Related:
    name: str
    # The rows of the ticket whose id is `ticket` (an `OuterRef` when asked).
    rows: Callable[[Any], QuerySet[Any]]

    @property
    def attribute(self) -> str:
        return f"has_{self.name}"

    def absent(self, ticket: object) -> bool:
        """True only when the ticket was read asking, and it has none."""
        return getattr(ticket, self.attribute, True) is False


def asked(kinds: Iterable[Related]) -> dict[str, Exists]:
    """The `EXISTS` columns that answer for these kinds, to annotate the ticket with."""
    return {kind.attribute: Exists(kind.rows(OuterRef("pk"))) for kind in kinds}
