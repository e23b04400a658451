"""The quick form renderer writes exactly what Django's widget templates write."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from atiende.portal.filters import TicketFilterForm
from atiende.portal.forms import ReplyForm
from atiende.ui.renderers import quick


class Everything(forms.Form):
    text = forms.CharField(max_length=20, help_text="Help")
    number = forms.IntegerField(min_value=1, max_value=9, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    flag = forms.BooleanField(required=False, initial=True)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)
    kind = forms.ChoiceField(choices=[("a", "A & <b>"), ("b", "B")], widget=forms.RadioSelect, initial="a")
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"data-x": mark_safe("&amp;")}))


def _drawn(form: forms.Form) -> str:
    parts = [str(form[name]) for name in form.fields]
    parts += [radio.tag() + str(radio) for radio in form["kind"]]
    return "\n".join(parts)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "text": 'say "hi" <now> & then',
            "number": "12",
            "day": "nope",
            "hidden": "<x>",
            "flag": "on",
            "body": "línea 1\n</textarea><b>",
            "kind": "b",
            "email": "a@b",
        },
    ],
)
def test_it_draws_what_the_templates_draw(data):
    initial = {"day": datetime.date(2026, 12, 7), "text": "a'b"}
    django_form = Everything(data, initial=initial, renderer=DjangoTemplates())
    quick_form = Everything(data, initial=initial, renderer=quick)
    if data:
        assert not quick_form.is_valid() and not django_form.is_valid()

    assert _drawn(quick_form) == _drawn(django_form)


def test_a_select_is_still_drawn_by_django():
    class Choosing(forms.Form):
        pick = forms.ChoiceField(choices=[("1", "one"), ("2", "two")])

    assert str(Choosing(renderer=quick)["pick"]) == str(Choosing(renderer=DjangoTemplates())["pick"])


def _both(make) -> tuple[str, str]:
    drawn = []
    for renderer in (DjangoTemplates(), quick):
        form = make()
        form.renderer = renderer
        drawn.append("\n".join(form[name].as_field_group() for name in form.fields))
    return drawn[0], drawn[1]


@pytest.mark.parametrize(
    "data",
    [{}, {"q": 'dice "hola" <b>', "created_from": "2026-01-02", "group": "on", "stage": "999"}],
)
def test_the_portal_filters_and_reply_are_drawn_quickly_as_django_draws_them(world, data):
    assert TicketFilterForm.default_renderer is quick and ReplyForm.default_renderer is quick
    django_drawn, quick_drawn = _both(
        lambda: TicketFilterForm(data, organization=world.acme, with_requester=True, with_state=True)
    )
    assert quick_drawn == django_drawn and 'type="date"' in quick_drawn
    django_drawn, quick_drawn = _both(lambda: ReplyForm({"text": "</textarea><b>x"} if data else None))
    assert quick_drawn == django_drawn and "<textarea" in quick_drawn
