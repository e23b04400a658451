from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from atiende.accounts.auth import signed_in_user
from atiende.accounts.models import User
from atiende.tickets import queries
from atiende.tickets.access import active_agent


def _agent_user(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if active_agent(user) is None:
        raise Http404
    return user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The open tickets of the agent's queues, most recent activity first."""
    user = _agent_user(request)
    return render(
        request,
        "desk/home.html",
        {
            "tickets": queries.open_tickets_for_agent(user)[:50],
            "queues": queries.queues_for_agent(user),
        },
    )
