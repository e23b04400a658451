"""The forms of *Configuración*: each explains itself with the help the flow shows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import AgentRole, Organization
from atiende.sla.actions import MAX_TARGET_MINUTES
from atiende.sla.models import Calendar
from atiende.tickets.models import Contract, Queue, Service


def _calendar_field(help_text: Any) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return forms.ModelChoiceField(
        Calendar.objects.order_by("name"),
        label=_("Calendar"),
        required=False,
        empty_label=_("— Not set —"),
        help_text=help_text,
    )


class ContractForm(forms.Form):
    service = forms.ModelChoiceField(
        Service.objects.filter(is_active=True).order_by("name"),
        label=_("Service"),
        empty_label=_("— Choose —"),
    )
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    valid_to = forms.DateField(
        label=_("Valid to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty while the contract has no end date."),
    )
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)
    calendar = _calendar_field(
        _("The hours its tickets' service level counts in: choose 24x7 for round-the-clock support.")
    )


class ServiceLevelForm(forms.Form):
    contract = forms.ModelChoiceField(Contract.objects.none(), label=_("Contract"), empty_label=None)
    first_response_minutes = forms.IntegerField(
        label=_("First response within (minutes)"),
        min_value=1,
        max_value=MAX_TARGET_MINUTES,
        required=False,
        help_text=_("Business minutes of the calendar: 60 is one working hour."),
    )
    resolution_minutes = forms.IntegerField(
        label=_("Resolution within (minutes)"), min_value=1, max_value=MAX_TARGET_MINUTES, required=False
    )
    calendar = _calendar_field(_("Empty: the contract's calendar, else the queue's, else the default one."))

    def __init__(self, *args: Any, company: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contract"]
        if isinstance(field, forms.ModelChoiceField):  # always; tells the type checker
            field.queryset = Contract.objects.filter(organization=company).select_related("service")


class EngineerForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("Email"), help_text=_("The invitation goes there; they sign in with it.")
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=AgentRole.choices,
        initial=AgentRole.AGENT,
        help_text=_(
            "Engineers see their queues' tickets; supervisors and administrators see every ticket and "
            "use this set-up."
        ),
    )
    queues = forms.ModelMultipleChoiceField(
        Queue.objects.filter(is_active=True).order_by("name"),
        label=_("Queues"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The queues whose tickets they work."),
    )


class RoutingRuleForm(forms.Form):
    organization = forms.ModelChoiceField(
        Organization.objects.filter(is_active=True).order_by("name"),
        label=_("Company"),
        required=False,
        empty_label=_("— By email domain instead —"),
        help_text=_("Every new ticket of this company, whoever writes and by whatever channel."),
    )
    email_domain = forms.CharField(
        label=_("Or an email domain"),
        max_length=253,
        required=False,
        help_text=_(
            "Tickets of people writing from this domain (e.g. acme.com.co), when their company has no rule."
        ),
    )
    queue = forms.ModelChoiceField(
        Queue.objects.filter(is_active=True).order_by("name"),
        label=_("Goes to the queue"),
        empty_label=_("— Choose —"),
    )


class QueueOfferForm(forms.Form):
    offered_to_clients = forms.BooleanField(label=_("Offered in the portal"), required=False)
    organization = forms.ModelChoiceField(
        Organization.objects.filter(is_active=True).order_by("name"),
        label=_("Only for the company"),
        required=False,
        empty_label=_("— Any company —"),
    )
