from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from atiende.accounts.auth import signed_in_user
from atiende.tickets.access import active_agent, get_attachment_for_user
from atiende.tickets.attachments import shows_inline


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Agents land on the desk, contacts on the portal."""
    if active_agent(request.user) is not None:  # type: ignore[arg-type]
        return redirect("desk:home")
    return redirect("portal:home")


def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: the static manifest may not exist when URLs are imported.
    return HttpResponsePermanentRedirect(static("atiende/icon.svg"))


@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def attachment_download(request: HttpRequest, pk: int, name: str) -> FileResponse:
    """A ticket's file, for people who may see it (see access.get_attachment_for_user)."""
    attachment = get_attachment_for_user(signed_in_user(request), pk)
    inline = "download" not in request.GET and shows_inline(attachment)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.filename,
        content_type=attachment.content_type if inline else "application/octet-stream",
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
