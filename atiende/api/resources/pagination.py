"""Cursor pagination for every list of the API: a page's position is carried in an opaque
cursor, so a list that changes while an integration walks it neither repeats nor skips
rows (offsets would), and a page costs the same at the millionth row as at the first."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import CursorPagination
from rest_framework.request import Request


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
