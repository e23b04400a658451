from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from atiende.accounts.invitations import create_contact
from atiende.accounts.models import Contact, Organization, User
from atiende.errors import DomainError
from atiende.tickets.forms import add_domain_error


class CompanyForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organization
        fields = ["name", "tax_id", "email_domains", "address", "phone", "contacts_see_all_tickets"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class LocationForm(forms.Form):
    name = forms.CharField(label=_("Site"), max_length=200)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ContactForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    extension = forms.CharField(label=_("Extension"), max_length=20, required=False)
    area = forms.CharField(label=_("Area"), max_length=120, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    sees_company_tickets = forms.BooleanField(
        label=_("Sees all company tickets"),
        required=False,
        help_text=_("In the company they belong to first (Tickets de la Compañía)."),
    )


class NewContactForm(ContactForm):
    """A new contact; they receive the invitation to choose a password."""

    email = forms.EmailField(label=_("Email"))
    organization = forms.ModelChoiceField(
        Organization.objects.filter(is_active=True), label=_("Company"), empty_label=_("— Choose —")
    )
    field_order = ["full_name", "email", "organization", "phone", "extension", "area", "language"]

    def submit(self, actor: User) -> Contact | None:
        """Create the contact; a refusal becomes an error on the form and None is returned."""
        try:
            return create_contact(actor, **self.cleaned_data)
        except DomainError as error:
            add_domain_error(self, error)
            return None
