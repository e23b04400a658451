from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from atiende.incidents.actions import TITLE_MAX_LENGTH, UPDATE_MAX_LENGTH


class DeclareForm(forms.Form):
    title = forms.CharField(
        label=_("Title for the affected contacts"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("Shown in the portal, e.g. “Correo caído desde las 9:10”."),
    )
    pause_children_sla = forms.BooleanField(
        label=_("Pause the service level of the tickets it gathers"),
        required=False,
        initial=lambda: settings.ATIENDE_INCIDENT_PAUSE_SLA,
    )


class AttachForm(forms.Form):
    incident = forms.IntegerField(label=_("Incident ticket"), min_value=1, max_value=10**12)


class UpdateForm(forms.Form):
    text = forms.CharField(
        label=_("Public update"),
        max_length=UPDATE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Posted as a reply on the incident and on every ticket it gathers."),
    )
