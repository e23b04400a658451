"""What an engineer types on the ticket workspace, parsed into plain values for the actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import Agent, AgentRole, Location
from atiende.desk.inbox import catalog
from atiende.tickets.actions.work import MAX_MINUTES
from atiende.tickets.models import (
    Category,
    Contract,
    LinkKind,
    Priority,
    Queue,
    Service,
    Status,
    StatusKind,
    Ticket,
    TicketType,
)
from atiende.ui.renderers import quick
from atiende.ui.uploads import MultipleFileField, attachments_help
from atiende.ui.widgets import ListSelect

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- the composer ----------------------------------------------------------------------


class ComposerForm(forms.Form):
    default_renderer = quick
    PUBLIC = "public"
    NOTE = "note"
    files_lost = False  # browsers never send chosen files back: the page says so

    kind = forms.ChoiceField(
        choices=[(PUBLIC, _("Public reply")), (NOTE, _("Internal note"))],
        widget=forms.RadioSelect,
        initial=PUBLIC,
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,  # files alone are a valid message; the action decides
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)
    then = forms.ChoiceField(
        choices=[
            ("", "—"),
            (StatusKind.PENDING, StatusKind.PENDING),
            (StatusKind.RESOLVED, StatusKind.RESOLVED),
        ],
        required=False,
    )
    # Outside WhatsApp's 24-hour window: which approved reply template goes (checked by
    # `whatsapp.actions.choose_reply_template`).
    whatsapp_template = forms.CharField(label=_("WhatsApp template"), required=False, max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()

    @property
    def is_note(self) -> bool:
        return self.cleaned_data.get("kind") == self.NOTE

    def then_status(self) -> Status | None:
        """The stage "Enviar y dejar en…" moves the ticket to, when a button asked for one."""
        kind = self.cleaned_data.get("then")
        if not kind or self.is_note:
            return None
        return Status.objects.filter(kind=kind, is_default=True).first()


# --- properties --------------------------------------------------------------------------


class PropertyForm(forms.Form):
    """One property of the ticket, changed on its own: two engineers editing different
    fields at once never overwrite each other with what their pages showed earlier."""

    name: ClassVar[str]
    label: ClassVar[StrOrPromise]
    empty_label: ClassVar[StrOrPromise | None] = None  # a select's "none" option
    help: ClassVar[StrOrPromise] = ""
    error: str = ""  # why the last change was refused, shown beside the saved value

    def __init__(self, data: Any = None, *, ticket: Ticket) -> None:
        super().__init__(data, prefix=self.name)
        self.ticket = ticket
        self.fields["value"] = self.build_field(ticket)
        self.fields["value"].label = self.label
        # A closed ticket is final: its properties are shown, not offered for change.
        self.fields["value"].disabled = ticket.is_closed
        self.initial["value"] = self.current(ticket)

    def build_field(self, ticket: Ticket) -> forms.Field:
        """Each property form names its own field (a select, a text input…)."""
        raise NotImplementedError(f"{type(self).__name__} must define build_field")

    def current(self, ticket: Ticket) -> object:
        return getattr(ticket, f"{self.name}_id")

    def changes(self) -> dict[str, Any]:
        """Keyword arguments for `change_ticket`."""
        return {self.name: self.cleaned_data["value"]}


class SavingSelect(ListSelect):
    """A select that saves on change and always has a value. Django's check whether it may
    say `required` reads the whole choice list a second time, so it is skipped."""

    def use_required_attribute(self, initial: Any) -> bool:
        return False


def _with_current(queryset: QuerySet[Any], current_id: int | None) -> QuerySet[Any]:
    """Active choices, plus the one the ticket has even if it was retired since."""
    if current_id is None:
        return queryset.filter(is_active=True)
    return queryset.filter(Q(is_active=True) | Q(pk=current_id))


class StatusForm(PropertyForm):
    name = "status"
    label = _("Stage")

    def build_field(self, ticket: Ticket) -> forms.Field:
        return forms.ModelChoiceField(Status.objects.all(), empty_label=None, widget=SavingSelect)


class PriorityForm(PropertyForm):
    name = "priority"
    label = _("Priority")

    def build_field(self, ticket: Ticket) -> forms.Field:
        return forms.ModelChoiceField(Priority.objects.all(), empty_label=None, widget=SavingSelect)


class QueueForm(PropertyForm):
    name = "queue"
    label = _("Queue")

    def build_field(self, ticket: Ticket) -> forms.Field:
        return forms.ModelChoiceField(
            _with_current(Queue.objects.all(), ticket.queue_id), empty_label=None, widget=SavingSelect
        )


class TypeForm(PropertyForm):
    name = "type"
    label = _("Type")

    def build_field(self, ticket: Ticket) -> forms.Field:
        return forms.ModelChoiceField(
            _with_current(TicketType.objects.all(), ticket.type_id), empty_label=None, widget=SavingSelect
        )


class CategoryForm(PropertyForm):
    name = "category"
    label = _("Category")
    empty_label = _("— No category —")

    def build_field(self, ticket: Ticket) -> forms.Field:
        categories = (
            _with_current(Category.objects.all(), ticket.category_id)
            .select_related("parent")
            .order_by(F("parent__name_es").asc(nulls_first=True), "name_es")
        )
        return forms.ModelChoiceField(
            categories, required=False, empty_label=self.empty_label, widget=ListSelect
        )


if TYPE_CHECKING:
    _LocationChoiceField = forms.ModelChoiceField[Location]
else:  # generic only in the stubs
    _LocationChoiceField = forms.ModelChoiceField


class SiteChoiceField(_LocationChoiceField):
    def label_from_instance(self, obj: Location) -> str:
        return obj.name  # the company is the ticket's: naming it on every site is noise


class LocationForm(PropertyForm):
    name = "location"
    label = _("Location")
    empty_label = _("— No site —")

    def build_field(self, ticket: Ticket) -> forms.Field:
        sites = _with_current(
            Location.objects.filter(organization_id=ticket.organization_id), ticket.location_id
        )
        return SiteChoiceField(
            sites.order_by("name"), required=False, empty_label=self.empty_label, widget=ListSelect
        )


@dataclass(frozen=True)
class ServiceChoices:
    """What the service select offers a ticket: the company's contracts in force (and the
    ticket's own, even expired), then on-demand support."""

    contracts: dict[str, Contract]
    on_demand: Service | None
    choices: list[tuple[str, str]]


def service_choices(ticket: Ticket, in_force: list[Contract] | None = None) -> ServiceChoices:
    """`in_force`: the company's contracts in force with their services, when already read."""
    if in_force is None:
        in_force = list(contracts_in_force(ticket.organization_id))
    contracts = {f"contract:{contract.pk}": contract for contract in in_force}
    if ticket.contract_id is not None and f"contract:{ticket.contract_id}" not in contracts:
        # The ticket's own contract stays visible after it expires, so the panel tells the truth.
        own = Contract.objects.filter(pk=ticket.contract_id).select_related("service").first()
        if own is not None:
            contracts = dict(
                sorted(
                    [*contracts.items(), (f"contract:{own.pk}", own)],
                    key=lambda item: item[1].valid_from,
                    reverse=True,
                )
            )
    on_demand = catalog.load().on_demand
    choices: list[tuple[str, str]] = [("", str(_("— No service —")))]
    choices += [(key, _contract_label(contract)) for key, contract in contracts.items()]
    if on_demand is not None:
        rate = number_format(on_demand.hourly_rate, decimal_pos=0, force_grouping=True)
        label = _("%(service)s — %(rate)s %(currency)s per hour") % {
            "service": on_demand.name,
            "rate": rate,
            "currency": on_demand.currency,
        }
        choices.append((ServiceForm.ON_DEMAND, str(label)))
    return ServiceChoices(contracts, on_demand, choices)


def contracts_in_force(organization_id: int) -> QuerySet[Contract]:
    """The company's contracts in force, newest first, with their services."""
    return (
        Contract.objects.in_force()
        .filter(organization_id=organization_id)
        .select_related("service")
        .order_by("-valid_from", "pk")
    )


def _contract_label(contract: Contract) -> str:
    label = f"{contract.service.name} ({contract.reference})" if contract.reference else contract.service.name
    if not contract.is_in_force():
        return str(_("%(contract)s — no longer in force") % {"contract": label})
    return label


class ServiceForm(PropertyForm):
    """The company's contracts in force, and on-demand support for everything else."""

    name = "service"
    label = _("Service")
    ON_DEMAND = "on-demand"

    def build_field(self, ticket: Ticket) -> forms.Field:
        offered = service_choices(ticket)
        self.contracts = offered.contracts
        self.on_demand = offered.on_demand
        return forms.ChoiceField(choices=offered.choices, required=False, widget=ListSelect)

    def current(self, ticket: Ticket) -> object:
        return service_value(ticket)

    def changes(self) -> dict[str, Any]:
        value = self.cleaned_data["value"]
        if value == self.ON_DEMAND:
            return {"service": self.on_demand, "contract": None}
        contract = self.contracts.get(value)
        return {"service": contract.service if contract else None, "contract": contract}


def service_value(ticket: Ticket) -> str:
    if ticket.contract_id:
        return f"contract:{ticket.contract_id}"
    return ServiceForm.ON_DEMAND if ticket.service_id else ""


class AssigneeForm(PropertyForm):
    name = "assignee"
    label = _("Assignee")
    empty_label = _("— Unassigned —")

    def build_field(self, ticket: Ticket) -> forms.Field:
        # The same rule as access.may_be_assigned, as one query for the whole list.
        agents = (
            Agent.objects.engineers()
            .filter(Q(queues=ticket.queue_id) | Q(role__in=[AgentRole.SUPERVISOR, AgentRole.ADMIN]))
            .select_related("user")
            .order_by("user__full_name", "user__email")
            .distinct()
        )
        return forms.ModelChoiceField(agents, required=False, empty_label=self.empty_label, widget=ListSelect)


class TagsForm(PropertyForm):
    name = "tags"
    label = _("Tags")
    help = _("Separated by commas.")

    def build_field(self, ticket: Ticket) -> forms.Field:
        return forms.CharField(
            required=False,
            help_text=self.help,
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
        )

    def current(self, ticket: Ticket) -> object:
        return ", ".join(tag.name for tag in ticket.tags.all())

    def changes(self) -> dict[str, Any]:
        return {"tags": [name for name in self.cleaned_data["value"].split(",") if name.strip()]}


class CcForm(PropertyForm):
    name = "cc"
    label = _("Copy replies to")
    help = _("Email addresses, separated by commas.")

    def build_field(self, ticket: Ticket) -> forms.Field:
        return forms.CharField(
            required=False,
            help_text=self.help,
            widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "email"}),
        )

    def current(self, ticket: Ticket) -> object:
        return ", ".join(entry.email for entry in ticket.cc.all())

    def changes(self) -> dict[str, Any]:
        return {"cc": [email for email in self.cleaned_data["value"].split(",") if email.strip()]}


PROPERTY_FORMS: dict[str, type[PropertyForm]] = {
    form.name: form
    for form in (
        StatusForm,
        PriorityForm,
        QueueForm,
        TypeForm,
        CategoryForm,
        LocationForm,
        ServiceForm,
        AssigneeForm,
        TagsForm,
        CcForm,
    )
}


# --- links, merging, splitting -----------------------------------------------------------


class LinkForm(forms.Form):
    default_renderer = quick
    number = forms.IntegerField(label=_("Ticket number"), min_value=1)
    kind = forms.ChoiceField(
        label=_("Relation"),
        choices=[(LinkKind.RELATED, LinkKind.RELATED.label), (LinkKind.CONTINUES, LinkKind.CONTINUES.label)],
        initial=LinkKind.RELATED,
        widget=ListSelect,
    )


class MergeForm(forms.Form):
    default_renderer = quick
    into = forms.IntegerField(label=_("Merge into ticket number"), min_value=1)


class SplitForm(forms.Form):
    default_renderer = quick
    message = forms.IntegerField(widget=forms.HiddenInput)
    subject = forms.CharField(label=_("Subject of the new ticket"), max_length=250)


# --- time --------------------------------------------------------------------------------


class TimeEntryForm(forms.Form):
    """Minutes typed, a quick 15 / 30 / 60 button, or what the timer measured (with the
    instant it started, so billing knows the part worked after hours)."""

    default_renderer = quick

    QUICK = (15, 30, 60)

    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=MAX_MINUTES, required=False)
    quick = forms.TypedChoiceField(
        choices=[(str(m), str(m)) for m in QUICK], coerce=int, required=False, empty_value=None
    )
    billable = forms.BooleanField(label=_("Billable"), required=False, initial=True)
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("Required when the time is not billable: say why."),
    )
    work_date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    started_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("quick"):
            data["minutes"] = data["quick"]
            data["started_at"] = None  # a quick entry is not the timer's measure
        elif not data.get("minutes") and "minutes" not in self.errors:
            self.add_error("minutes", _("Write the minutes spent, or use a quick button."))
        if not data.get("billable") and not (data.get("note") or "").strip() and "note" not in self.errors:
            self.add_error("note", _("Say why this time is not billable (e.g. warranty, our own mistake)."))
        return data
