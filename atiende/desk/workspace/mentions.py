"""The engineers a note may mention, for the composer's `@` autocomplete (loaded when the
engineer first types `@` in a note, so the ticket page itself reads nothing more)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from atiende.desk.common import agent_user, get_ticket_for_agent
from atiende.tickets import mentions


@login_required
@require_GET
def ticket_mentions(request: HttpRequest, number: int) -> JsonResponse:
    user, _agent = agent_user(request)
    ticket = get_ticket_for_agent(user, number)
    people = [
        {"handle": person.handle, "name": person.name}
        for person in mentions.mentionable(ticket)
        if person.handle != mentions.handle_of(user)
    ]
    return JsonResponse({"people": people})
