"""Tickets: the list (filters, search, sort, cursor pages), one ticket, opening one and
changing its fields. Writes go through `tickets.actions` with `channel=Channel.API`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from atiende.accounts.models import Contact, Organization, User
from atiende.api.idempotency import idempotent
from atiende.api.resources.filters import TicketFilter, ordering_for
from atiende.api.resources.pagination import TicketCursor
from atiende.api.resources.schema import answers
from atiende.api.resources.serializers import EXPANDABLE, TicketChange, TicketCreate, TicketOut
from atiende.api.resources.views.common import (
    PreconditionFailed,
    api_user,
    etag_of,
    if_match_fails,
    load_ticket,
    serializer_context,
    tickets_for_api,
)
from atiende.errors import InvalidValue
from atiende.tickets import access, actions
from atiende.tickets.forms import uploads_from
from atiende.tickets.models import Channel, Priority, Ticket

EXPAND = OpenApiParameter(
    "expand",
    str,
    description=_("Comma-separated parts to include in full: %(parts)s.") % {"parts": ", ".join(EXPANDABLE)},
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description=_(
        "The ETag of the ticket as you last read it. When it no longer matches, the change is "
        "refused with 412 and nothing changes. Without it, the change applies to the ticket as it is."
    ),
)


class TicketList(generics.GenericAPIView[Ticket]):
    """Tickets the caller may see: agents their queues' (all for supervisors and admins),
    contacts their own or, with the company view, their company's."""

    serializer_class = TicketOut
    filterset_class = TicketFilter
    pagination_class = TicketCursor
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def cursor_ordering(self, request: Request) -> tuple[str, ...]:
        return ordering_for(request.query_params.get("sort", ""))

    def get_queryset(self) -> QuerySet[Ticket]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Ticket.objects.none()
        user = api_user(self.request)
        context = serializer_context(self.request)
        return tickets_for_api(user, access.tickets_visible_to(user), context["expand"])

    @extend_schema(operation_id="tickets_list", parameters=[EXPAND], responses=answers(TicketOut(many=True)))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = TicketOut(page, many=True, context=serializer_context(request)).data
        return self.get_paginated_response(data)

    @extend_schema(
        operation_id="tickets_create",
        request={"application/json": TicketCreate, "multipart/form-data": TicketCreate},
        responses=answers({201: TicketOut}, write=True),
    )
    @idempotent
    def post(self, request: Request) -> Response:
        user = api_user(request)
        incoming = TicketCreate(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        requester, organization = _requester_and_company(user, data.get("requester"), data.get("company"))
        ticket = actions.open_ticket(
            user,
            channel=Channel.API,
            organization=organization,
            requester=requester,
            queue=data.get("queue"),
            subject=data["subject"],
            text=data["text"],
            html=data["html"],
            type=data.get("type"),
            category=data.get("category"),
            location=data.get("location"),
            priority=_priority(user, data.get("priority")),
            service=data.get("service"),
            contract=data.get("contract"),
            attachments=uploads_from(data["files"]),
            continues=_continued(data.get("continues")),
        )
        return ticket_response(request, ticket.number, status.HTTP_201_CREATED)


def _requester_and_company(
    user: User, requester: Contact | None, company: Organization | None
) -> tuple[Contact, Organization]:
    """Contacts file for themselves; agents name the contact. The company is the
    requester's primary one unless named (the action checks they belong to it)."""
    if requester is None:
        requester = access.active_contact(user)
        if requester is None:
            raise InvalidValue("requester", _("Name the contact the ticket is for."))
    if company is None:
        membership = (
            requester.memberships.select_related("organization").order_by("-is_primary", "pk").first()
        )
        if membership is None:
            raise PermissionDenied(_("You cannot open tickets for this company."))
        company = membership.organization
    return requester, company


def _priority(user: User, priority: Priority | None) -> Priority | None:
    if priority is not None and access.active_agent(user) is None:
        raise InvalidValue("priority", _("Only the support team sets the priority."))
    return priority


def _continued(number: int | None) -> Ticket | None:
    if number is None:
        return None
    ticket = Ticket.objects.filter(number=number).first()
    if ticket is None:
        raise InvalidValue(
            "continues",
            _("Ticket #%(number)s was not found among this company's tickets.") % {"number": number},
        )
    return ticket


def ticket_response(request: Request, number: int, code: int = status.HTTP_200_OK) -> Response:
    ticket = load_ticket(request, number, expand=serializer_context(request)["expand"])
    headers = {"ETag": etag_of(ticket)}
    if code == status.HTTP_201_CREATED:
        headers["Location"] = reverse("api:ticket-detail", args=[ticket.number])
    return Response(TicketOut(ticket, context=serializer_context(request)).data, status=code, headers=headers)


class TicketDetail(generics.GenericAPIView[Ticket]):
    serializer_class = TicketOut

    @extend_schema(operation_id="tickets_retrieve", parameters=[EXPAND], responses=answers(TicketOut))
    def get(self, request: Request, number: int) -> Response:
        return ticket_response(request, number)

    @extend_schema(
        operation_id="tickets_partial_update",
        parameters=[IF_MATCH, EXPAND],
        request=TicketChange,
        responses=answers(TicketOut, write=True),
    )
    def patch(self, request: Request, number: int) -> Response:
        user = api_user(request)
        incoming = TicketChange(data=request.data)
        incoming.is_valid(raise_exception=True)
        changes: dict[str, Any] = dict(incoming.validated_data)
        with transaction.atomic():
            # Locked while compared, so no other change lands between the check and ours.
            ticket = load_ticket(request, number)
            Ticket.objects.select_for_update().filter(pk=ticket.pk).values_list("pk").get()
            ticket.refresh_from_db()
            if if_match_fails(request, etag_of(ticket)):
                raise PreconditionFailed
            if changes:
                actions.change_ticket(user, ticket, channel=Channel.API, **changes)
        return ticket_response(request, number)
