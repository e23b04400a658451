"""What a domain action says when it refuses. Surfaces turn these into messages; the text
is already translated and written for the person who tried."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from atiende.tickets.models import Ticket


class DomainError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("You are not allowed to do that."))


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


class InvalidValue(DomainError):
    """A value that cannot be accepted; `field` names the form field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)
