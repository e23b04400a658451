"""A POST endpoint for the idempotency tests: it opens a real ticket through the action,
as the resources will, so a second effect would be a second ticket."""

from __future__ import annotations

import threading
from typing import Any

from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from atiende import urls as project_urls
from atiende.accounts.models import User
from atiende.api.idempotency import idempotent
from atiende.errors import InvalidValue
from atiende.tickets import actions
from atiende.tickets.models import Channel, Queue

# Set by a test to hold the first request inside its transaction until the second has
# been sent.
hold: dict[str, threading.Event] = {}


class OpenTicket(APIView):
    @idempotent
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        assert isinstance(user, User)
        contact = user.contact
        subject = str(request.data.get("subject", ""))
        if not subject:
            raise InvalidValue("subject", "Falta el asunto.")
        if "release" in hold:
            hold["release"].wait(timeout=10)
        ticket = actions.open_ticket(
            user,
            channel=Channel.API,
            organization=contact.memberships.get(is_primary=True).organization,
            requester=contact,
            queue=Queue.objects.get(slug="soporte"),
            subject=subject,
            text="Abierto por la API.",
        )
        return Response(
            {"number": ticket.number}, status=201, headers={"Location": f"/tickets/{ticket.number}/"}
        )


urlpatterns = [path("api/test/tickets/", OpenTicket.as_view()), *project_urls.urlpatterns]
