"""Form widgets shared by the desk and the portal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def _read(choices: Any) -> list[tuple[Any, Any]]:
    if not isinstance(choices, ModelChoiceIterator):
        return list(choices)
    # Django iterates a model field's queryset with `.iterator()`: on PostgreSQL a
    # server-side cursor, three round trips for a handful of rows. Read it in one.
    empty = [("", choices.field.empty_label)] if choices.field.empty_label is not None else []
    return empty + [choices.choice(item) for item in choices.queryset.all()]


class ListSelect(forms.Select):
    """A `<select>` of plain choices drawn in Python. Django draws every option through a
    template of its own: for the 200 agents of the inbox's assignee filter that took 6 ms,
    this takes a few hundred microseconds. Same markup, same escaping."""

    def _listed(self) -> list[tuple[Any, Any]]:
        """The choices, read once: a model field's choices run a query each time."""
        source = self.choices
        cached = getattr(self, "_listed_choices", None)
        if cached is None or cached[0] is not source:
            cached = (source, _read(source))
            self._listed_choices = cached
        return cached[1]

    def use_required_attribute(self, initial: Any) -> bool:
        # Django's own reads the choices again to look at the first one.
        if self.allow_multiple_selected:
            return super().use_required_attribute(initial)
        first = next(iter(self._listed()), None)
        return forms.Widget.use_required_attribute(self, initial) and (
            first is None or first[0] in ("", None)
        )

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        choices = self._listed()
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)  # groups: Django's way
        chosen = {str(each) for each in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if key in chosen else "", label)
                for key, label in ((str(key), label) for key, label in choices)
            ),
        )
        return format_html(
            "<select{}>{}</select>", flatatt({**self.build_attrs(self.attrs, attrs), "name": name}), options
        )
