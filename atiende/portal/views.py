from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from atiende.accounts.auth import signed_in_user
from atiende.accounts.models import User
from atiende.tickets import queries
from atiende.tickets.access import active_contact


def _contact_user(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if active_contact(user) is None:
        raise Http404
    return user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The contact's panel: counts and their most recent tickets."""
    user = _contact_user(request)
    return render(
        request,
        "portal/home.html",
        {
            "counts": queries.counts_for_contact(user),
            "recent": queries.tickets_for_contact(user)[:10],
        },
    )
