"""The inbox's quick `<select>` draws the same markup as Django's own."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from atiende.desk.inbox.forms import ListSelect

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


def test_the_catalog_is_read_again_after_a_change(world, django_assert_num_queries):
    from atiende.desk.inbox import catalog

    first = catalog.load()
    with django_assert_num_queries(0):
        assert catalog.load() is first

    world.redes.name = "Redes y comunicaciones"
    world.redes.save()
    again = catalog.load()

    assert again is not first
    assert "Redes y comunicaciones" in {queue.name for queue in again.queues}
    world.agente.user.save(update_fields=["last_login"])
    assert catalog.load() is again  # signing in changes nothing listed
