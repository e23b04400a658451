import functools
import logging
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from atiende.accounts.auth import signed_in_user
from atiende.tickets.access import active_agent, get_attachment_for_user
from atiende.tickets.attachments import shows_inline
from atiende.tickets.models import Attachment

logger = logging.getLogger("atiende.health")


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
    """For load balancers and monitors: 200 when the database and, when configured, Redis
    answer; 503 naming what failed otherwise. Cheap enough to call every few seconds."""
    failed = [name for name, check in _health_checks().items() if not _answers(check)]
    if failed:
        return JsonResponse({"status": "error", "failed": failed}, status=503)
    return JsonResponse({"status": "ok"})


def _health_checks() -> dict[str, Callable[[], object]]:
    checks: dict[str, Callable[[], object]] = {"database": _database_answers}
    if settings.REDIS_URL:
        checks["redis"] = lambda: _redis(settings.REDIS_URL).ping()
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")) and (
        settings.CELERY_BROKER_URL != settings.REDIS_URL
    ):
        checks["broker"] = lambda: _redis(settings.CELERY_BROKER_URL).ping()
    return checks


def _database_answers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


@functools.cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def _answers(check: Callable[[], object]) -> bool:
    try:
        check()
    except Exception:  # whatever the failure, the answer is "not healthy", with the reason logged
        logger.exception("health.failed")
        return False
    return True


@login_required
def attachment_download(request: HttpRequest, pk: int, name: str) -> FileResponse:
    """A ticket's file, for people who may see it (see access.get_attachment_for_user)."""
    attachment = get_attachment_for_user(signed_in_user(request), pk)
    return attachment_response(attachment, download="download" in request.GET)


def attachment_response(attachment: Attachment, *, download: bool) -> FileResponse:
    """The file itself; shown in the browser only when its type is safe to (the API's
    download answers the same way)."""
    inline = not download and shows_inline(attachment)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.filename,
        content_type=attachment.content_type if inline else "application/octet-stream",
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent after the session expired, or after signing in again in another tab,
    fails Django's CSRF check. The person sees what happened and a way back to the form,
    where the browser restores the draft it kept (static/atiende/drafts.js)."""
    logger.info("csrf failure on %s: %s", request.path, reason)
    if request.headers.get("Sec-Fetch-Mode", "navigate") != "navigate":
        # A request of a page, not the person's (a presence ping, a beacon sent as the page
        # is left, a refresh): nobody reads the answer, and drawing our page would hand the
        # browser a new CSRF cookie that lands after a sign-in form was drawn with the old
        # one, failing that form too.
        return HttpResponse(
            _("Your session changed; reload the page."), status=403, content_type="text/plain"
        )
    back = _same_site_path(request, request.META.get("HTTP_REFERER", "")) or "/"
    signed_in = request.user.is_authenticated
    sign_in = f"{reverse('account_login')}?{urlencode({'next': back})}"
    return render(
        request,
        "csrf_failure.html",
        {"back": back, "sign_in": sign_in, "signed_in": signed_in},
        status=403,
    )


def _same_site_path(request: HttpRequest, url: str) -> str:
    """The path of a URL of this site (the form's page), never a way out to another one."""
    parts = urlsplit(url)
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return ""
    if parts.netloc and parts.netloc != request.get_host():
        return ""
    if not url_has_allowed_host_and_scheme(parts.path, allowed_hosts={request.get_host()}):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")
