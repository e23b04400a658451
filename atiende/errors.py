"""What a domain action says when it refuses. Surfaces turn these into messages; the text
is already translated and written for the person who tried."""

from __future__ import annotations

from django.utils.translation import gettext as _


class DomainError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("You are not allowed to do that."))


class InvalidValue(DomainError):
    """A value that cannot be accepted; `field` names the form field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)
