"""`me` and the catalog: who is calling, and the lists a client needs to fill a ticket.

Agents get the whole catalog and their queues; contacts get what the portal's new-ticket
page shows them (types, categories, queues, statuses by their portal names) and are
refused priorities and tags, which the portal does not show."""

from __future__ import annotations

from typing import Any

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from atiende.accounts.models import User
from atiende.api.models import ApiToken
from atiende.api.resources.schema import answers
from atiende.tickets import access, routing
from atiende.tickets.models import Category, Priority, Queue, Status, Tag, TicketType
from atiende.tickets.queries import queues_for_agent


class QueueSerializer(serializers.ModelSerializer[Queue]):
    class Meta:
        model = Queue
        fields = ["id", "name", "slug", "description"]


class CompanySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    sees_company_tickets = serializers.BooleanField()


class TokenInfoSerializer(serializers.Serializer[ApiToken]):
    name = serializers.CharField()
    prefix = serializers.CharField()
    kind = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())
    expires_at = serializers.DateTimeField(allow_null=True)


class MeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    language = serializers.CharField()
    role = serializers.ChoiceField(choices=["contact", "agent", "supervisor", "admin", "none"])
    queues = QueueSerializer(many=True)
    companies = CompanySerializer(many=True)
    authentication = serializers.ChoiceField(choices=["token", "session"])
    token = TokenInfoSerializer(allow_null=True)


def _user(request: Request) -> User:
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user


class MeView(APIView):
    @extend_schema(responses=answers(MeSerializer), summary="Who is calling", tags=["me"])
    def get(self, request: Request) -> Response:
        user = _user(request)
        agent = access.active_agent(user)
        company_wide = set(access.company_wide_organizations(user).values_list("pk", flat=True))
        companies = [
            {"id": org.pk, "name": org.name, "sees_company_tickets": org.pk in company_wide}
            for org in access.organizations_of(user)
        ]
        token = request.auth if isinstance(request.auth, ApiToken) else None
        data = {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "role": agent.role if agent is not None else "contact" if access.active_contact(user) else "none",
            "queues": QueueSerializer(queues_for_agent(user), many=True).data,
            "companies": companies,
            "authentication": "token" if token is not None else "session",
            "token": TokenInfoSerializer(token).data if token is not None else None,
        }
        return Response(MeSerializer(data).data)


class NamedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TicketTypeSerializer(NamedSerializer):
    is_default = serializers.BooleanField()


class CategorySerializer(NamedSerializer):
    parent_id = serializers.IntegerField(allow_null=True)


class PrioritySerializer(NamedSerializer):
    level = serializers.IntegerField()
    is_default = serializers.BooleanField()


class StatusSerializer(NamedSerializer):
    kind = serializers.CharField()


class ContactStatusSerializer(StatusSerializer):
    name = serializers.CharField(source="portal_name")


class TagSerializer(NamedSerializer):
    pass


class CatalogList(generics.ListAPIView):  # type: ignore[type-arg]
    pagination_class = None
    filter_backends: list[type] = []
    agents_only = False

    def get_queryset(self) -> QuerySet[Any]:
        user = _user(self.request)
        is_agent = access.active_agent(user) is not None
        if not is_agent and (self.agents_only or access.active_contact(user) is None):
            raise PermissionDenied()
        return self.catalog(user, is_agent=is_agent)

    def catalog(self, user: User, *, is_agent: bool) -> QuerySet[Any]:
        raise NotImplementedError


@extend_schema(tags=["catalog"], responses=answers(TicketTypeSerializer(many=True)))
class TicketTypeList(CatalogList):
    serializer_class = TicketTypeSerializer

    def catalog(self, user: User, *, is_agent: bool) -> QuerySet[TicketType]:
        return TicketType.objects.filter(is_active=True)


@extend_schema(tags=["catalog"], responses=answers(CategorySerializer(many=True)))
class CategoryList(CatalogList):
    serializer_class = CategorySerializer

    def catalog(self, user: User, *, is_agent: bool) -> QuerySet[Category]:
        return (
            Category.objects.filter(is_active=True)
            .select_related("parent")
            .order_by("parent__name_es", "name_es")
        )


@extend_schema(tags=["catalog"], responses=answers(PrioritySerializer(many=True)))
class PriorityList(CatalogList):
    serializer_class = PrioritySerializer
    agents_only = True

    def catalog(self, user: User, *, is_agent: bool) -> QuerySet[Priority]:
        return Priority.objects.all()


@extend_schema(tags=["catalog"], responses=answers(StatusSerializer(many=True)))
class StatusList(CatalogList):
    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if getattr(self, "swagger_fake_view", False):
            return StatusSerializer
        if access.active_agent(_user(self.request)) is None:
            return ContactStatusSerializer
        return StatusSerializer

    serializer_class = StatusSerializer

    def catalog(self, user: User, *, is_agent: bool) -> QuerySet[Status]:
        return Status.objects.all()


@extend_schema(
    tags=["catalog"],
    responses=answers(QueueSerializer(many=True)),
    description=(
        "Agents: the queues they work (every queue for supervisors and admins). Contacts: the queues "
        "offered to their companies, the only ones they may address a ticket to."
    ),
)
class QueueList(CatalogList):
    serializer_class = QueueSerializer

    def catalog(self, user: User, *, is_agent: bool) -> QuerySet[Queue]:
        if is_agent:
            return queues_for_agent(user)
        return routing.queues_offered_to(access.organizations_of(user)).order_by("name").distinct()


@extend_schema(tags=["catalog"], responses=answers(TagSerializer(many=True)))
class TagList(CatalogList):
    serializer_class = TagSerializer
    agents_only = True

    def catalog(self, user: User, *, is_agent: bool) -> QuerySet[Tag]:
        return Tag.objects.order_by("name")


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI from drf-spectacular-sidecar's files, started by our static script."""
    return render(request, "api/docs.html", {"schema_url": reverse("api:schema")})


@require_safe
@csp_update({"style-src": [UNSAFE_INLINE]})
def redoc(request: HttpRequest) -> HttpResponse:
    """Redoc from the sidecar's bundle, started by our static script. Its styles are made at
    run time (styled-components) before any nonce could reach them, so this page alone
    allows inline styles; scripts stay as strict as everywhere."""
    return render(request, "api/redoc.html", {"schema_url": reverse("api:schema")})
