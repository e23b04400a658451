from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache

from atiende.tickets.access import active_agent


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Agents land on the desk, contacts on the portal."""
    if active_agent(request.user) is not None:  # type: ignore[arg-type]
        return redirect("desk:home")
    return redirect("portal:home")


@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
