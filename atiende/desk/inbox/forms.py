"""What the inbox's forms offer: the filter form (it only draws the values `filters.py`
parsed from the URL) and the choices of the bulk bar, loaded once per page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from django import forms
from django.urls import reverse_lazy
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atiende.accounts.models import Organization
from atiende.desk.inbox.catalog import Catalog
from atiende.desk.inbox.filters import ME, NOBODY, InboxFilters
from atiende.tickets.models import Channel
from atiende.ui.widgets import ListSelect

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


Choices = list[tuple[str, str | Promise]]


def _choices(items: Iterable[object]) -> Choices:
    return [(str(getattr(item, "pk", "")), str(item)) for item in items]


ANY = ("", _("Any"))


def _date_field(label: StrOrPromise) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _checkboxes(label: StrOrPromise) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, required=False, widget=forms.CheckboxSelectMultiple)


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "placeholder": _("Search: words of the subject or messages, or a number"),
            }
        ),
    )
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("open", pgettext_lazy("tickets", "Open")),
            ("closed", pgettext_lazy("tickets", "Closed")),
            ("all", pgettext_lazy("tickets", "All")),
        ],
    )
    stage = _checkboxes(_("Stage"))
    priority = _checkboxes(_("Priority"))
    type = _checkboxes(_("Type"))
    channel = _checkboxes(_("Channel"))
    queue = forms.ChoiceField(label=_("Queue"), required=False, widget=ListSelect)
    category = forms.ChoiceField(label=_("Category"), required=False, widget=ListSelect)
    # A provider has thousands of companies: a type-ahead field, not a list of them all.
    company = forms.CharField(
        label=_("Company"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Name of the company"),
                "autocomplete": "off",
                "list": "company-suggestions",
                "hx-get": reverse_lazy("desk:company-suggestions"),
                "hx-trigger": "input changed delay:200ms",
                "hx-target": "#company-suggestions",
                "hx-swap": "innerHTML",
            }
        ),
    )
    requester = forms.CharField(
        label=_("Requester"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name or email")}),
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False, widget=ListSelect)
    tag = forms.ChoiceField(label=_("Tag"), required=False, widget=ListSelect)
    created_from = _date_field(_("Created from"))
    created_to = _date_field(_("Created until"))
    active_from = _date_field(_("Last activity from"))
    active_to = _date_field(_("Last activity until"))
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, filters: InboxFilters, catalog: Catalog, *, fixed: frozenset[str]) -> None:
        initial = {name: value for name, value in vars(filters).items() if value not in ("", None, ())}
        if filters.company_id is not None:
            # A link by id (from a company's page or an older saved view) shows the name.
            named = Organization.objects.filter(pk=filters.company_id).values_list("name", flat=True)
            initial["company"] = next(iter(named), filters.company)
        super().__init__(initial=initial, auto_id="filter-%s")
        self._choose("stage", _choices(catalog.statuses))
        self._choose("priority", _choices(catalog.priorities))
        self._choose("type", _choices(catalog.types))
        self._choose("channel", [(choice.value, choice.label) for choice in Channel])
        self._choose("queue", [ANY, *_choices(catalog.queues)])
        self._choose("category", [ANY, *_choices(catalog.categories)])
        self._choose(
            "assignee", [ANY, (ME, _("Me")), (NOBODY, _("Nobody (unassigned)")), *_choices(catalog.agents)]
        )
        self._choose("tag", [ANY, *[(tag.name, tag.name) for tag in catalog.tags]])
        for name in fixed:
            del self.fields[name]

    def _choose(self, name: str, choices: Choices) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices

    @property
    def detail_fields(self) -> list[forms.BoundField]:
        """The fields under *Filtros* (search, state and sort sit on the main line)."""
        return [self[name] for name in self.fields if name not in {"q", "state", "sort"}]
