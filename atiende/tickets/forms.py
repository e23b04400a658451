"""Forms that parse ticket values, shared by the surfaces that open and change tickets
(portal, desk). They parse and check; actions do the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import Contact, Location, Organization, User
from atiende.errors import DomainError, InvalidValue
from atiende.tickets import actions
from atiende.tickets.models import (
    Category,
    Channel,
    Contract,
    Priority,
    Queue,
    Service,
    Ticket,
    TicketType,
)
from atiende.ui.uploads import MultipleFileField, attachments_help, uploads_from

__all__ = ["MultipleFileField", "NewTicketForm", "attachments_help", "uploads_from"]


class ServiceChoiceField(forms.ChoiceField):
    """The company's contracts in force, plus on-demand support with its rate."""

    def __init__(self, organization: Organization, **kwargs: Any) -> None:
        self.contracts = {
            str(c.pk): c
            for c in Contract.objects.in_force().filter(organization=organization).select_related("service")
        }
        self.on_demand = Service.objects.filter(is_on_demand=True, is_active=True).first()
        choices: list[tuple[str, str]] = [
            (f"contract:{pk}", str(contract.service)) for pk, contract in self.contracts.items()
        ]
        if self.on_demand is not None:
            rate = number_format(self.on_demand.hourly_rate, decimal_pos=0, force_grouping=True)
            label = (
                _("%(service)s — billed at %(rate)s %(currency)s per hour")
                % {"service": self.on_demand.name, "rate": rate, "currency": self.on_demand.currency}
                if self.on_demand.hourly_rate > 0
                else _("%(service)s — billed at current rates") % {"service": self.on_demand.name}
            )
            choices.append(("on-demand", str(label)))
        super().__init__(choices=[("", _("— Choose —")), *choices], **kwargs)

    def resolve(self, value: str) -> tuple[Service | None, Contract | None]:
        if value == "on-demand":
            return self.on_demand, None
        contract = self.contracts.get(value.removeprefix("contract:"))
        return (contract.service, contract) if contract else (None, None)


class SiteChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """The company's sites by name: the company is already known."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class TicketFieldsMixin:
    """Type, category and location: chosen when opening and when modifying."""

    fields: dict[str, forms.Field]

    def setup_ticket_fields(self, organization: Organization) -> None:
        self.fields["type"] = forms.ModelChoiceField(
            TicketType.objects.filter(is_active=True),
            label=_("Type"),
            empty_label=None,
            initial=TicketType.objects.filter(is_default=True).first(),
            help_text=_("If you do not know the cause, choose Incident."),
        )
        self.fields["category"] = forms.ModelChoiceField(
            Category.objects.filter(is_active=True)
            .select_related("parent")
            .order_by("parent__name_es", "name_es"),
            label=_("Category"),
            required=False,
            empty_label=_("— Not sure —"),
        )
        locations: QuerySet[Location] = organization.locations.filter(is_active=True)
        self.fields["location"] = SiteChoiceField(
            locations,
            label=_("Location"),
            required=False,
            empty_label=_("— Choose the site —"),
            help_text=_("Where the incident happened."),
        )


class NewTicketForm(TicketFieldsMixin, forms.Form):
    subject = forms.CharField(
        label=_("Subject"),
        max_length=250,
        help_text=_("Keep it short: what is happening, in a few words."),
    )
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Describe your request in detail."),
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)
    continues = forms.IntegerField(
        label=_("Follow-up of ticket number"),
        required=False,
        min_value=1,
        help_text=_("If this continues a closed ticket, its number (e.g. 195)."),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.setup_ticket_fields(organization)
        self.fields["queue"] = forms.ModelChoiceField(
            Queue.objects.filter(is_active=True),
            label=_("To"),
            empty_label=_("— Choose —"),
            help_text=_("The product or team your request is about."),
        )
        self.fields["service"] = ServiceChoiceField(
            organization,
            label=_("Service"),
            help_text=_(
                "Your company's contracted services. Without a contract in force, choose on-demand "
                "support, billed at current rates, or contact your account manager."
            ),
        )
        self.fields["attachments"].help_text = attachments_help()
        self.order_fields(["type", "queue", "service", "category", "location", "subject", "text"])

    def chosen_priority(self) -> Priority | None:
        """None lets the core decide (the subject's Covey prefix, else the default)."""
        return None

    def submit(
        self, actor: User, *, requester: Contact, channel: Channel, continues: Ticket | None = None
    ) -> Ticket | None:
        """Open the ticket from the cleaned values; a refusal becomes an error on the form
        (on its field when it names one) and None is returned."""
        data = self.cleaned_data
        service, contract = self.fields["service"].resolve(data["service"])  # type: ignore[attr-defined]
        try:
            return actions.open_ticket(
                actor,
                channel=channel,
                organization=self.organization,
                requester=requester,
                queue=data.get("queue"),  # absent when a routing rule decides
                subject=data["subject"],
                text=data["text"],
                type=data["type"],
                category=data["category"],
                location=data["location"],
                service=service,
                contract=contract,
                priority=self.chosen_priority(),
                attachments=uploads_from(data["attachments"]),
                continues=continues,
            )
        except DomainError as error:
            add_domain_error(self, error)
            return None


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show an action's refusal on the form: next to its field when the form has it."""
    field = error.field if isinstance(error, InvalidValue) and error.field in form.fields else None
    form.add_error(field, error.message)
