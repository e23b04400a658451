from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from atiende.accounts.invitations import create_contact, invite_contact
from atiende.accounts.models import Agent, Contact, Location, Membership, Organization, User
from atiende.errors import DomainError


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "language"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    filter_horizontal = ["groups"]


class LocationInline(admin.TabularInline):
    model = Location
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["contact", "organization"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "tax_id", "email_domains", "phone", "contacts_see_all_tickets", "is_active"]
    list_filter = ["is_active", "contacts_see_all_tickets"]
    search_fields = ["name", "tax_id", "email_domains"]
    inlines = [LocationInline]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "organization__name"]


class ContactCreationForm(forms.ModelForm):
    """A new contact: their account is created with them and an invitation is sent."""

    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    organization = forms.ModelChoiceField(Organization.objects.filter(is_active=True), label=_("Company"))
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    sees_company_tickets = forms.BooleanField(label=_("Sees all company tickets"), required=False)

    class Meta:
        model = Contact
        fields = ["phone", "extension", "area"]

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("There is already an account with this email address."))
        return email


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["user", "phone", "extension", "area", "notifications"]
    search_fields = ["user__email", "user__full_name", "phone"]
    autocomplete_fields = ["user"]
    inlines = [MembershipInline]
    actions = ["send_invitation"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = ContactCreationForm
            kwargs["fields"] = [
                "email", "full_name", "organization", "phone", "extension", "area", "language", "sees_company_tickets"
            ]  # fmt: skip
        return super().get_form(request, obj, change=change, **kwargs)

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        return [MembershipInline] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Contact, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        try:
            contact = create_contact(
                request.user,  # type: ignore[arg-type]
                email=data["email"],
                full_name=data["full_name"],
                organization=data["organization"],
                phone=data["phone"],
                extension=data["extension"],
                area=data["area"],
                language=data["language"],
                sees_company_tickets=data["sees_company_tickets"],
            )
        except DomainError as error:
            raise ValidationError(error.message) from error
        obj.pk, obj.user = contact.pk, contact.user
        obj._state.adding = False
        messages.info(
            request, _("An invitation to choose a password was sent to %(email)s.") % {"email": data["email"]}
        )

    @admin.action(description=_("Send the invitation to choose a password again"))
    def send_invitation(self, request: HttpRequest, queryset: Any) -> None:
        for contact in queryset.select_related("user"):
            try:
                invite_contact(request.user, contact)  # type: ignore[arg-type]
            except DomainError as error:
                messages.error(request, f"{contact}: {error.message}")
            else:
                messages.info(request, _("Invitation sent to %(email)s.") % {"email": contact.user.email})


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "phone"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]
