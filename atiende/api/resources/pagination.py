"""Cursor pagination for every list of the API: a page's position is carried in an opaque
cursor, so a list that changes while an integration walks it neither repeats nor skips
rows (offsets would), and a page costs the same at the millionth row as at the first."""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from typing import Any

from django.db.models import F, OrderBy, Q
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

from atiende.ui.bounds import LARGEST_ID


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    # Views name their ordering; the last field is unique, so ties never reorder pages.
    ordering: Any = ("-id",)

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> tuple[str, ...]:
        ordering = getattr(view, "cursor_ordering", None)
        if callable(ordering):
            return tuple(ordering(request))
        return tuple(ordering or self.ordering)


class TicketCursor(Cursor):
    """Keyset pages over tickets: the cursor carries every sort column of the row at the
    page's edge, so the next page starts strictly after it — ties on the first column
    (tickets touched in the same instant) never repeat or vanish, backwards included, and
    a page deep in the list costs what the first one does.

    The rows are sorted as the desk sorts them, nulls last whichever the direction: the
    sort columns are never null, so the order is the same as PostgreSQL's default, but
    the open-ticket indexes are built in the desk's order and PostgreSQL walks them only
    when the ORDER BY matches exactly (otherwise it sorts every open ticket of the queue
    before taking 50)."""

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        self.request = request
        self.page_size = self.get_page_size(request) or self.page_size
        self.base_url: str = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)
        backwards, position = self._read_cursor(request)
        columns = [(field.removeprefix("-"), field.startswith("-") != backwards) for field in self.ordering]
        # Backwards is the exact reverse (nulls first), which PostgreSQL reads from the
        # same index walked the other way.
        rows = queryset.order_by(
            *(
                OrderBy(
                    F(name),
                    descending=descending,
                    nulls_last=not backwards or None,
                    nulls_first=backwards or None,
                )
                for name, descending in columns
            )
        )
        if position is not None:
            rows = rows.filter(_after(columns, position))
        page = list(rows[: self.page_size + 1])
        more = len(page) > self.page_size
        page = page[: self.page_size]
        if backwards:
            page.reverse()
            self.has_previous, self.has_next = more, position is not None
        else:
            self.has_previous, self.has_next = position is not None, more
        self.page = page
        return page

    def get_next_link(self) -> str | None:
        return self._link(self.page[-1], backwards=False) if self.has_next and self.page else None

    def get_previous_link(self) -> str | None:
        return self._link(self.page[0], backwards=True) if self.has_previous and self.page else None

    def _link(self, row: Any, *, backwards: bool) -> str:
        values = [_dump(getattr(row, field.removeprefix("-"))) for field in self.ordering]
        raw = json.dumps({"b": backwards, "p": values}, separators=(",", ":")).encode()
        return replace_query_param(
            self.base_url, self.cursor_query_param, base64.urlsafe_b64encode(raw).decode("ascii")
        )

    def _read_cursor(self, request: Request) -> tuple[bool, list[Any] | None]:
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return False, None
        try:
            if len(encoded) > MAX_CURSOR_LENGTH:
                raise ValueError("too long")
            found = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii")))
            values = found["p"]
            if not isinstance(found["b"], bool) or len(values) != len(self.ordering):
                raise ValueError("not ours")
            return found["b"], [
                _load(value, field.removeprefix("-"))
                for value, field in zip(values, self.ordering, strict=True)
            ]
        except (ValueError, TypeError, KeyError, binascii.Error, UnicodeError, OverflowError):
            raise NotFound(self.invalid_cursor_message) from None


MAX_CURSOR_LENGTH = 512


def _after(columns: list[tuple[str, bool]], position: list[Any]) -> Q:
    """Rows strictly after `position` in this order: (a, b) after (x, y) is a past x, or
    a equal to x and b past y."""
    after = Q()
    for index, (name, descending) in enumerate(columns):
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": position[index]})
        for earlier, (earlier_name, _descending) in enumerate(columns[:index]):
            step &= Q(**{earlier_name: position[earlier]})
        after |= step
    return after


def _dump(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.datetime) else value


def _load(value: Any, field: str) -> Any:
    """A cursor's value for a sort column, checked for its type (a forged cursor is refused
    before it reaches a query)."""
    if field.endswith("_at"):
        if not isinstance(value, str):
            raise TypeError(field)
        moment = datetime.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError(field)
        return moment
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= LARGEST_ID:
        raise ValueError(field)
    return value
