"""The quick `<select>` draws the same markup as Django's own."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from atiende.ui.widgets import ListSelect

CHOICES = [("", "Cualquiera"), ("me", "Yo"), ("7", 'Ana <b>"Ñandú"</b> & Cía'), ("12", "Luis")]


@pytest.mark.parametrize("value", ["", "7", "12", None, "nothing-like-it"])
def test_list_select_draws_what_djangos_select_draws(value):
    attrs = {"id": "filter-assignee", "required": False, "class": "x"}

    quick = ListSelect(choices=CHOICES).render("assignee", value, attrs)
    django = forms.Select(choices=CHOICES).render("assignee", value, attrs)

    assert parse_html(quick) == parse_html(django)
    assert "<b>" not in quick


def test_list_select_leaves_grouped_choices_to_django():
    grouped = [("Soporte", [("1", "Ana"), ("2", "Luis")])]

    assert "<optgroup" in ListSelect(choices=grouped).render("assignee", "2")


def test_list_select_draws_a_model_choice_like_djangos_select(world, django_assert_num_queries):
    from atiende.tickets.models import Queue

    class Form(forms.Form):
        quick = forms.ModelChoiceField(Queue.objects.order_by("name"), widget=ListSelect)
        django = forms.ModelChoiceField(Queue.objects.order_by("name"))

    form = Form(initial={"quick": world.redes, "django": world.redes})
    with django_assert_num_queries(1):  # the choices are read once
        quick = str(form["quick"])
    django = str(form["django"]).replace("id_django", "id_quick").replace('name="django"', 'name="quick"')

    assert parse_html(quick) == parse_html(django)
    assert f'value="{world.redes.pk}" selected' in quick
