"""Phone and WhatsApp intake: the ticket form, with how the request arrived."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import Organization
from atiende.tickets.forms import NewTicketForm
from atiende.tickets.models import Channel

INTAKE_CHANNELS = [
    (Channel.PHONE.value, Channel.PHONE.label),
    (Channel.WHATSAPP.value, Channel.WHATSAPP.label),
]


class IntakeTicketForm(NewTicketForm):
    """The portal's fields plus how the request arrived and, for contacts of several
    companies, which company it is for."""

    channel = forms.ChoiceField(label=_("Received by"), choices=INTAKE_CHANNELS, widget=forms.RadioSelect)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, organization=organization, **kwargs)
        self.fields["channel"].initial = Channel.PHONE.value
        # The portal's help speaks to the customer; here the agent reads it.
        self.fields["service"].help_text = _("The company's contracts in force, or on-demand support.")
        self.fields["type"].help_text = _("If the caller does not know the cause, choose Incident.")
        self.order_fields(["channel", "type", "queue", "service", "category", "location", "subject", "text"])
