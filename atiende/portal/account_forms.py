"""The contact's *Detalles* form: their own profile fields, never the company's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import TIME_ZONES, Contact, NotificationChannel, NotificationPreference, User
from atiende.accounts.phones import to_e164


def _max_length(model: type[User] | type[Contact], name: str) -> int:
    field = model._meta.get_field(name)
    if not isinstance(field, models.CharField) or field.max_length is None:
        raise TypeError(f"{model.__name__}.{name} is not a text field with a length limit")
    return field.max_length


# Interpolated when shown, in the reader's language.
TOO_LONG = {"max_length": _("Use at most %(limit_value)d characters (you wrote %(show_value)d).")}


def language_choices() -> list[tuple[str, str]]:
    """Each language in its own name, so anyone can find theirs."""
    choices = []
    for code, _name in settings.LANGUAGES:
        name = str(get_language_info(code)["name_local"])
        choices.append((code, name[:1].upper() + name[1:]))
    return choices


PHONE_CHARACTERS = RegexValidator(
    r"^[0-9+()./ -]*$",
    _("Use only digits, spaces and the signs + - ( )."),
)


class TelInput(forms.TextInput):
    input_type = "tel"


FULL_NAME_MAX = _max_length(User, "full_name")
PHONE_MAX = _max_length(Contact, "phone")
EXTENSION_MAX = _max_length(Contact, "extension")
AREA_MAX = _max_length(Contact, "area")


class ContactDetailsForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=FULL_NAME_MAX,
        error_messages={"required": _("Write your name."), **TOO_LONG},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=PHONE_MAX,
        required=False,
        validators=[PHONE_CHARACTERS],
        error_messages=TOO_LONG,
        widget=TelInput(attrs={"autocomplete": "tel"}),
    )
    extension = forms.CharField(
        label=_("Extension"),
        max_length=EXTENSION_MAX,
        required=False,
        error_messages=TOO_LONG,
    )
    area = forms.CharField(
        label=_("Area"),
        help_text=_("Your department or team, e.g. Accounting."),
        max_length=AREA_MAX,
        required=False,
        error_messages=TOO_LONG,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        error_messages={"invalid_choice": _("Choose one of the languages in the list.")},
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=TIME_ZONES,
        help_text=_("Dates and times are shown in this zone."),
        error_messages={"invalid_choice": _("Choose one of the options in the list.")},
    )
    notifications = forms.ChoiceField(
        label=_("Email notifications"),
        choices=NotificationPreference.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the options in the list.")},
    )

    whatsapp = forms.CharField(
        label=_("WhatsApp"),
        help_text=_("With the country code, e.g. +57 300 123 4567. Leave it empty if it is your phone."),
        max_length=40,
        required=False,
        widget=TelInput(attrs={"autocomplete": "tel"}),
    )
    notify_by = forms.ChoiceField(
        label=_("Notifications by"),
        choices=NotificationChannel.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the options in the list.")},
    )

    def clean_whatsapp(self) -> str:
        typed = str(self.cleaned_data.get("whatsapp") or "").strip()
        if typed and to_e164(typed) is None:
            raise forms.ValidationError(_("Write the number with its country code, e.g. +57 300 123 4567."))
        return to_e164(typed) or ""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        wants = (cleaned or {}).get("notify_by") in {NotificationChannel.WHATSAPP, NotificationChannel.BOTH}
        reachable = (cleaned or {}).get("whatsapp") or to_e164(str((cleaned or {}).get("phone") or ""))
        if wants and not reachable and "whatsapp" not in self.errors:
            self.add_error("whatsapp", _("Write your WhatsApp number to receive notifications there."))
        return cleaned

    @classmethod
    def initial_for(cls, contact: Contact) -> dict[str, str]:
        return {
            "full_name": contact.user.full_name,
            "phone": contact.phone,
            "extension": contact.extension,
            "area": contact.area,
            "language": contact.user.language,
            "time_zone": contact.user.time_zone,
            "notifications": contact.notifications,
            "whatsapp": contact.whatsapp,
            "notify_by": contact.notify_by,
        }
