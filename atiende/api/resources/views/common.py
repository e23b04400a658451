"""What every resource view shares: who is asking, loading a ticket they may see, the
rows a ticket list shows, the messages a person may read, and the ticket's ETag."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException, NotAuthenticated
from rest_framework.request import Request

from atiende.accounts.models import User
from atiende.api.resources.serializers import expansions
from atiende.tickets import access, queries
from atiende.tickets.models import HistoryEvent, Message, MessageKind, SenderCheck, Ticket


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = _(
        "The ticket changed since you read it (If-Match does not match its ETag); read it again."
    )
    default_code = "precondition_failed"


def api_user(request: Request) -> User:
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user


def is_agent(user: User) -> bool:
    return access.active_agent(user) is not None


def serializer_context(request: Request, *, expand: frozenset[str] | None = None) -> dict[str, Any]:
    user = api_user(request)
    return {
        "request": request,
        "expand": expansions(request.query_params.get("expand")) if expand is None else expand,
        "contact_view": not is_agent(user),
    }


def messages_visible_to(user: User) -> QuerySet[Message]:
    """Agents read the whole thread; contacts what the portal shows them: public messages,
    never an unverified email held for an engineer (see portal.views._detail_context)."""
    thread = Message.objects.select_related("author").prefetch_related("attachments")
    if is_agent(user):
        return thread
    return thread.filter(kind=MessageKind.PUBLIC).exclude(sender_check=SenderCheck.HELD)


def tickets_for_api(user: User, tickets: QuerySet[Ticket], expand: frozenset[str]) -> QuerySet[Ticket]:
    """The rows of a ticket list or page, with all they show in a constant number of queries."""
    rows = queries.tickets_for_listing(tickets).select_related("type", "category", "location", "service")
    rows = rows.prefetch_related("tags")
    if "messages" in expand:
        rows = rows.prefetch_related(
            Prefetch(
                "messages",
                queryset=messages_visible_to(user).order_by("created_at", "id"),
                to_attr="api_messages",
            )
        )
    return rows


def load_ticket(request: Request, number: int, *, expand: frozenset[str] = frozenset()) -> Ticket:
    """The ticket if the caller may see it; 404 otherwise (another company's number looks
    the same as one that does not exist)."""
    user = api_user(request)
    ticket = tickets_for_api(user, access.tickets_visible_to(user).filter(number=number), expand).first()
    if ticket is None:
        raise Http404
    return ticket


def etag_of(ticket: Ticket) -> str:
    """Changes whenever the ticket does: its last save and the last event of its history
    (a tag or a copied address changes history without always touching the row)."""
    last_event = (
        HistoryEvent.objects.filter(ticket_id=ticket.pk).order_by("-id").values_list("id", flat=True).first()
    )
    digest = hashlib.sha256(f"{ticket.pk}|{ticket.updated_at.isoformat()}|{last_event}".encode()).hexdigest()
    return f'"{digest[:32]}"'


def if_match_fails(request: Request, current: str) -> bool:
    """Whether `If-Match` names other versions than the current one (absent: never)."""
    header = request.headers.get("If-Match")
    if header is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" not in tags and current not in tags
