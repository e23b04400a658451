"""What the API shows of companies, sites, contracts and contacts, and what it takes to
create a contact."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from atiende.accounts.models import Contact, Membership
from atiende.tickets.models import Contract


class CompanyOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    tax_id = serializers.CharField()
    email_domains = serializers.CharField()
    address = serializers.CharField()
    phone = serializers.CharField()
    contacts_see_all_tickets = serializers.BooleanField()
    is_active = serializers.BooleanField()


class SiteOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    is_active = serializers.BooleanField()


class ServiceOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    is_on_demand = serializers.BooleanField()
    hourly_rate = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()


class ContractOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    service = ServiceOut()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    hourly_rate = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    in_force = serializers.SerializerMethodField()

    def get_in_force(self, contract: Contract) -> bool:
        return contract.pk in self.context.get("in_force", set())


class MembershipOut(serializers.Serializer[Any]):
    company = serializers.IntegerField(source="organization_id")
    company_name = serializers.CharField(source="organization.name")
    is_primary = serializers.BooleanField()
    sees_company_tickets = serializers.BooleanField()


class ContactOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="user.full_name")
    email = serializers.EmailField(source="user.email")
    phone = serializers.CharField()
    extension = serializers.CharField()
    area = serializers.CharField()
    language = serializers.CharField(source="user.language")
    is_active = serializers.BooleanField(source="user.is_active")
    companies = serializers.SerializerMethodField()

    def get_companies(self, contact: Contact) -> list[dict[str, Any]]:
        memberships: list[Membership] = list(contact.memberships.all())
        return list(MembershipOut(memberships, many=True).data)


class ContactCreate(serializers.Serializer[Any]):
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=150)
    company = serializers.IntegerField(help_text=_("The company's id: one you serve."))
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    extension = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    area = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, required=False, allow_blank=True, default=""
    )
    sees_company_tickets = serializers.BooleanField(
        default=False, help_text=_("Sees all the company's tickets (supervisors and admins only).")
    )
