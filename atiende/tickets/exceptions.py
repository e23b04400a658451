"""The refusals ticket actions raise: the shared ones (atiende.errors) and the closed rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from atiende.errors import DomainError, InvalidValue, NotAllowed

if TYPE_CHECKING:
    from atiende.tickets.models import Ticket


class TicketClosed(DomainError):
    """A closed ticket is never reopened: the way forward is a new ticket citing it."""

    def __init__(self, ticket: Ticket) -> None:
        self.ticket = ticket
        super().__init__(
            _(
                "Ticket #%(number)s is closed and cannot be changed. To follow up, open a "
                "new ticket that references #%(number)s; the two will be linked."
            )
            % {"number": ticket.number}
        )


__all__ = ["DomainError", "InvalidValue", "NotAllowed", "TicketClosed"]
