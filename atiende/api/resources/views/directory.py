"""Companies, their sites and contracts, and contacts. Agents read the whole directory (as
the desk's does); contacts only their own companies. Contacts are created and deactivated
through `accounts.invitations` and `accounts.directory`, which hold the rules."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from atiende.accounts import directory
from atiende.accounts.invitations import create_contact
from atiende.accounts.models import Contact, Location, Membership, Organization, User
from atiende.api.idempotency import idempotent
from atiende.api.resources.directory_serializers import (
    CompanyOut,
    ContactCreate,
    ContactOut,
    ContractOut,
    SiteOut,
)
from atiende.api.resources.pagination import Cursor
from atiende.api.resources.schema import answers
from atiende.api.resources.views.common import api_user, is_agent
from atiende.errors import InvalidValue
from atiende.tickets import access
from atiende.tickets.models import Contract

SEARCH = OpenApiParameter("q", str, description="Words of the name, email, tax id or phone.")


def _words(request: Request) -> str:
    return " ".join(request.query_params.get("q", "").split())[:200]


def companies_for(user: User) -> QuerySet[Organization]:
    if is_agent(user):
        return Organization.objects.all()
    return Organization.objects.filter(pk__in=access.organizations_of(user).values("pk"))


def _company(request: Request, pk: int) -> Organization:
    company = companies_for(api_user(request)).filter(pk=pk).first()
    if company is None:
        raise Http404
    return company


def _agents_only(request: Request) -> User:
    user = api_user(request)
    if not is_agent(user):
        raise Http404  # the directory of people is the support team's
    return user


class CompanyList(generics.GenericAPIView[Organization]):
    serializer_class = CompanyOut
    pagination_class = Cursor
    cursor_ordering = ("name",)

    def get_queryset(self) -> QuerySet[Organization]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Organization.objects.none()
        companies = companies_for(api_user(self.request))
        if words := _words(self.request):
            companies = companies.filter(
                Q(name__icontains=words) | Q(tax_id__icontains=words) | Q(email_domains__icontains=words)
            )
        return companies

    @extend_schema(
        operation_id="companies_list", parameters=[SEARCH], responses=answers(CompanyOut(many=True))
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CompanyOut(page, many=True).data)


class CompanyDetail(APIView):
    @extend_schema(operation_id="companies_retrieve", responses=answers(CompanyOut))
    def get(self, request: Request, pk: int) -> Response:
        return Response(CompanyOut(_company(request, pk)).data)


class CompanySites(generics.GenericAPIView[Location]):
    """The company's sites (*Localización*); contacts see those in use."""

    serializer_class = SiteOut
    pagination_class = Cursor
    cursor_ordering = ("id",)

    def get_queryset(self) -> QuerySet[Location]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Location.objects.none()
        sites = _company(self.request, self.kwargs["pk"]).locations.all()
        return sites if is_agent(api_user(self.request)) else sites.filter(is_active=True)

    @extend_schema(operation_id="companies_sites_list", responses=answers(SiteOut(many=True)))
    def get(self, request: Request, pk: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SiteOut(page, many=True).data)


class CompanyContracts(generics.GenericAPIView[Contract]):
    """Contracted services: agents see every contract, contacts those in force."""

    serializer_class = ContractOut
    pagination_class = Cursor
    cursor_ordering = ("id",)

    def get_queryset(self) -> QuerySet[Contract]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Contract.objects.none()
        company = _company(self.request, self.kwargs["pk"])
        contracts = Contract.objects.filter(organization=company)
        if not is_agent(api_user(self.request)):
            contracts = Contract.objects.in_force().filter(organization=company)
        return contracts.select_related("service")

    @extend_schema(operation_id="companies_contracts_list", responses=answers(ContractOut(many=True)))
    def get(self, request: Request, pk: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        in_force = set(
            Contract.objects.in_force().filter(pk__in=[c.pk for c in page or []]).values_list("pk", flat=True)
        )
        return self.get_paginated_response(ContractOut(page, many=True, context={"in_force": in_force}).data)


def _contacts() -> QuerySet[Contact]:
    return Contact.objects.select_related("user").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("organization"))
    )


class ContactList(generics.GenericAPIView[Contact]):
    """The contacts of every company (agents only, as the desk's directory)."""

    serializer_class = ContactOut
    pagination_class = Cursor
    cursor_ordering = ("id",)

    def get_queryset(self) -> QuerySet[Contact]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Contact.objects.none()
        _agents_only(self.request)
        contacts = _contacts()
        if words := _words(self.request):
            # As the desk's directory: name, address, phone or company name.
            found = Contact.objects.filter(
                Q(user__full_name__icontains=words)
                | Q(user__email__icontains=words)
                | Q(phone__icontains=words)
                | Q(memberships__organization__name__icontains=words)
            )
            contacts = contacts.filter(pk__in=found.values("pk"))
        return contacts

    @extend_schema(
        operation_id="contacts_list", parameters=[SEARCH], responses=answers(ContactOut(many=True))
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ContactOut(page, many=True).data)

    @extend_schema(
        operation_id="contacts_create",
        request=ContactCreate,
        responses=answers({201: ContactOut}, write=True),
    )
    @idempotent
    def post(self, request: Request) -> Response:
        """A new contact, who receives the invitation to choose a password. Agents create
        contacts of the companies they serve, at the company's email domains."""
        user = _agents_only(request)
        incoming = ContactCreate(data=request.data)
        incoming.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(incoming.validated_data)
        company = access.organizations_served_by(user).filter(pk=data.pop("company")).first()
        if company is None:
            raise InvalidValue("company", _("Choose one of the companies you serve."))
        contact = create_contact(user, organization=company, **data)
        return Response(ContactOut(_contacts().get(pk=contact.pk)).data, status=status.HTTP_201_CREATED)


class ContactDeactivate(APIView):
    """Blocks the contact's sign-in; their tickets and history stay."""

    @extend_schema(
        operation_id="contacts_deactivate", request=None, responses=answers(ContactOut, write=True)
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = _agents_only(request)
        contact = access.get_contact_to_change(user, pk)
        directory.set_contact_active(user, contact, active=False)
        return Response(ContactOut(_contacts().get(pk=contact.pk)).data)
