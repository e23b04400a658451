from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from atiende.accounts.directory import may_grant_access
from atiende.accounts.invitations import create_contact
from atiende.accounts.models import Contact, Organization, User
from atiende.errors import DomainError
from atiende.tickets import access
from atiende.tickets.forms import add_domain_error

# What only supervisors and admins change; a plain agent sees it, disabled (Django then
# ignores whatever a request sends for it, and the actions refuse it anyway).
GRANTS_ACCESS = _("Only supervisors and administrators can change this.")


class CompanyForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organization
        fields = ["name", "tax_id", "email_domains", "address", "phone", "contacts_see_all_tickets"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class LocationForm(forms.Form):
    name = forms.CharField(label=_("Site"), max_length=200)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ContactForm(forms.Form):
    """A contact's data. `may_grant` says whether the person editing may change the
    address and the company view (supervisors and admins)."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("Email"), help_text=_("They sign in with it and receive their links there.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    extension = forms.CharField(label=_("Extension"), max_length=20, required=False)
    area = forms.CharField(label=_("Area"), max_length=120, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    sees_company_tickets = forms.BooleanField(
        label=_("Sees all company tickets"),
        required=False,
        help_text=_("In the company they belong to first (Tickets de la Compañía)."),
    )
    locked_for_agents: tuple[str, ...] = ("email", "sees_company_tickets")

    def __init__(self, *args: Any, may_grant: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_grant:
            for name in self.locked_for_agents:
                self.fields[name].disabled = True
                self.fields[name].help_text = GRANTS_ACCESS

    def clean(self) -> dict[str, Any] | None:
        """Django keeps a disabled field's value whatever is sent; a request that tries to
        change one anyway (no browser does) is refused, not quietly half-applied."""
        cleaned = super().clean()
        for name in self.locked_for_agents:
            field = self.fields[name]
            if field.disabled and self._tries_to_change(name, field):
                self.add_error(name, GRANTS_ACCESS)
        return cleaned

    def _tries_to_change(self, name: str, field: forms.Field) -> bool:
        sent = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        initial = self.get_initial_for_field(field, name)
        if isinstance(field, forms.BooleanField):
            # A disabled box is not sent at all, so only a grant can be told from silence.
            return bool(sent) and not initial
        return sent is not None and str(sent).strip().lower() != str(initial or "").strip().lower()


class NewContactForm(ContactForm):
    """A new contact; they receive the invitation to choose a password. A plain agent
    picks among the companies their queues serve and writes an address of the company's
    domains; the company view is for supervisors and admins to grant."""

    organization = forms.ModelChoiceField(
        Organization.objects.none(), label=_("Company"), empty_label=_("— Choose —")
    )
    whatsapp = forms.CharField(
        label=_("WhatsApp"),
        max_length=40,
        required=False,
        help_text=_("With the country code (+57 300 123 4567), when it differs from the phone."),
    )
    field_order = ["full_name", "email", "organization", "phone", "extension", "whatsapp", "area", "language"]
    locked_for_agents = ("sees_company_tickets",)

    def __init__(
        self,
        *args: Any,
        may_grant: bool,
        organizations: QuerySet[Organization],
        email_optional: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, may_grant=may_grant, **kwargs)
        if email_optional:  # phone intake: a caller may have WhatsApp and no email
            self.fields["email"].required = False
        field = self.fields["organization"]
        if isinstance(field, forms.ModelChoiceField):  # always; tells the type checker
            field.queryset = organizations.filter(is_active=True).order_by("name")
        if not may_grant:
            field.help_text = _("Companies with tickets in your queues; for another, ask a supervisor.")
            self.fields["email"].help_text = _("An address of the company's email domains.")
        if email_optional:
            self.fields["email"].help_text = _(
                "Empty for a caller without email: then write their phone or WhatsApp number."
            )

    @classmethod
    def for_user(cls, user: User, data: Any = None, **kwargs: Any) -> NewContactForm:
        """The form as this person may fill it: their companies, their rights."""
        return cls(
            data,
            may_grant=may_grant_access(user),
            organizations=access.organizations_served_by(user),
            **kwargs,
        )

    def submit(self, actor: User) -> Contact | None:
        """Create the contact; a refusal becomes an error on the form and None is returned."""
        try:
            return create_contact(actor, **self.cleaned_data)
        except DomainError as error:
            add_domain_error(self, error)
            return None
