"""What is done to one ticket: its thread (read, reply, internal note), closing, links,
merging, its service levels and the time recorded on it. Each write is one action."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from atiende.api.idempotency import idempotent
from atiende.api.resources.pagination import Cursor
from atiende.api.resources.schema import answers
from atiende.api.resources.serializers import (
    LinkCreate,
    LinkOut,
    MergeCreate,
    MessageCreate,
    MessageOut,
    SlaOut,
    TicketOut,
    TimeEntryCreate,
    TimeEntryOut,
)
from atiende.api.resources.views.common import api_user, load_ticket, messages_visible_to
from atiende.api.resources.views.tickets import ticket_response
from atiende.errors import InvalidValue
from atiende.sla.models import TicketSla
from atiende.sla.state import status_of
from atiende.tickets import access, actions
from atiende.tickets.forms import uploads_from
from atiende.tickets.models import Channel, Message, Ticket, TimeEntry

UPLOADS = [JSONParser, MultiPartParser, FormParser]
WITH_FILES = {"application/json": MessageCreate, "multipart/form-data": MessageCreate}


class TicketMessages(generics.GenericAPIView[Message]):
    """The thread, oldest first: everything for agents; for contacts what the portal shows."""

    serializer_class = MessageOut
    pagination_class = Cursor
    cursor_ordering = ("created_at", "id")

    def get_queryset(self) -> QuerySet[Message]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Message.objects.none()
        ticket = load_ticket(self.request, self.kwargs["number"])
        return messages_visible_to(api_user(self.request)).filter(ticket=ticket)

    @extend_schema(operation_id="tickets_messages_list", responses=answers(MessageOut(many=True)))
    def get(self, request: Request, number: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(MessageOut(page, many=True).data)


class TicketReplies(APIView):
    """*Contestar*: a public message, emailed to the other side."""

    parser_classes = UPLOADS

    @extend_schema(
        operation_id="tickets_replies_create",
        request=WITH_FILES,
        responses=answers({201: MessageOut}, write=True),
    )
    @idempotent
    def post(self, request: Request, number: int) -> Response:
        return _post_message(request, number, actions.add_reply)


class TicketNotes(APIView):
    """An internal note: agents only, never sent to the customer."""

    parser_classes = UPLOADS

    @extend_schema(
        operation_id="tickets_notes_create",
        request=WITH_FILES,
        responses=answers({201: MessageOut}, write=True),
    )
    @idempotent
    def post(self, request: Request, number: int) -> Response:
        return _post_message(request, number, actions.add_note)


def _post_message(request: Request, number: int, post: Callable[..., Message]) -> Response:
    """A reply or a note: the same body, one action each."""
    ticket = load_ticket(request, number)
    incoming = MessageCreate(data=request.data)
    incoming.is_valid(raise_exception=True)
    data = incoming.validated_data
    message = post(
        api_user(request),
        ticket,
        channel=Channel.API,
        text=data["text"],
        html=data["html"],
        attachments=uploads_from(data["files"]),
    )
    return Response(MessageOut(message).data, status=status.HTTP_201_CREATED)


class TicketClose(APIView):
    """Close for good: the requester their own ticket, agents any they work."""

    @extend_schema(operation_id="tickets_close", request=None, responses=answers(TicketOut, write=True))
    @idempotent
    def post(self, request: Request, number: int) -> Response:
        actions.close_ticket(api_user(request), load_ticket(request, number), channel=Channel.API)
        return ticket_response(request, number)


def _other_ticket(request: Request, number: int) -> Ticket:
    """A ticket named in the body: one the caller sees, or a refusal on that field."""
    try:
        return load_ticket(request, number)
    except Http404:
        raise InvalidValue("target", _("Ticket #%(number)s was not found.") % {"number": number}) from None


class TicketLinks(APIView):
    @extend_schema(
        operation_id="tickets_links_create", request=LinkCreate, responses=answers({201: LinkOut}, write=True)
    )
    @idempotent
    def post(self, request: Request, number: int) -> Response:
        ticket = load_ticket(request, number)
        incoming = LinkCreate(data=request.data)
        incoming.is_valid(raise_exception=True)
        target = _other_ticket(request, incoming.validated_data["target"])
        link = actions.link_tickets(
            api_user(request), ticket, target, kind=incoming.validated_data["kind"], channel=Channel.API
        )
        return Response(LinkOut(link).data, status=status.HTTP_201_CREATED)


class TicketMerge(APIView):
    """Merge this ticket (the duplicate) into another: its messages, files and time move
    there, and it closes pointing to it. Answers with the ticket that stays."""

    @extend_schema(
        operation_id="tickets_merge", request=MergeCreate, responses=answers(TicketOut, write=True)
    )
    @idempotent
    def post(self, request: Request, number: int) -> Response:
        ticket = load_ticket(request, number)
        incoming = MergeCreate(data=request.data)
        incoming.is_valid(raise_exception=True)
        survivor = _other_ticket(request, incoming.validated_data["into"])
        actions.merge_tickets(api_user(request), ticket, survivor, channel=Channel.API)
        return ticket_response(request, survivor.number)


class TicketSlaView(APIView):
    """Where the ticket stands against its service levels, in business time."""

    @extend_schema(operation_id="tickets_sla_retrieve", responses=answers(SlaOut))
    def get(self, request: Request, number: int) -> Response:
        ticket = load_ticket(request, number)
        clocks = TicketSla.objects.select_related("policy", "calendar").filter(ticket=ticket).first()
        if clocks is None:
            return Response({"state": "on_time", "paused": False, "policy": None, "targets": []})
        state = status_of(clocks)
        targets = [
            {
                "target": str(item.target),
                "label": item.label,
                "minutes": item.minutes,
                "state": str(item.state),
                "due_at": item.due_at,
                "met_at": item.met_at,
                "elapsed": item.elapsed,
                "minutes_left": item.minutes_left,
                "paused": item.paused,
            }
            for item in state.targets
        ]
        body = {
            "state": str(state.state),
            "paused": state.paused,
            "policy": str(clocks.policy) if clocks.policy else None,
            "targets": targets,
        }
        return Response(SlaOut(body).data)


class TicketTimeEntries(generics.GenericAPIView[TimeEntry]):
    """Time recorded on the ticket (agents only: it is the provider's own record)."""

    serializer_class = TimeEntryOut
    pagination_class = Cursor
    cursor_ordering = ("-id",)

    def _ticket(self) -> Ticket:
        ticket = load_ticket(self.request, self.kwargs["number"])
        if not access.can_work(api_user(self.request), ticket):
            raise Http404
        return ticket

    def get_queryset(self) -> QuerySet[TimeEntry]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return TimeEntry.objects.none()
        return TimeEntry.objects.filter(ticket=self._ticket()).select_related("agent")

    @extend_schema(operation_id="tickets_time_entries_list", responses=answers(TimeEntryOut(many=True)))
    def get(self, request: Request, number: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(TimeEntryOut(page, many=True).data)

    @extend_schema(
        operation_id="tickets_time_entries_create",
        request=TimeEntryCreate,
        responses=answers({201: TimeEntryOut}, write=True),
    )
    @idempotent
    def post(self, request: Request, number: int) -> Response:
        ticket = self._ticket()
        incoming = TimeEntryCreate(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        entry = actions.add_time_entry(
            api_user(request),
            ticket,
            minutes=data["minutes"],
            billable=data["billable"],
            note=data["note"],
            work_date=data.get("work_date"),
            channel=Channel.API,
        )
        return Response(TimeEntryOut(entry).data, status=status.HTTP_201_CREATED)
