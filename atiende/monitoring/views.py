"""The endpoint monitoring posts alerts to: `POST /api/v1/alerts/<source id>/`.

Parse → authenticate → act → respond, with errors as RFC 9457 problems. The token comes in
`Authorization: Bearer …` (Alertmanager's `http_config.authorization`), or as the last path
segment (`/api/v1/alerts/<id>/<token>/`) for tools that cannot set headers. Status codes
follow what Alertmanager does with them: a 4xx is final (a wrong token or a payload it will
never fix), a 5xx is retried (our side failed; nothing was changed).
"""

from __future__ import annotations

import logging
from dataclasses import asdict

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from atiende.errors import DomainError
from atiende.monitoring import incidents, payloads, sources

MAX_BODY_BYTES = 1_000_000
logger = logging.getLogger(__name__)


@csrf_exempt  # a machine posts here with its token; no browser session is involved
def receive_alerts(request: HttpRequest, source_id: int, token: str = "") -> JsonResponse:
    if request.method != "POST":
        response = problem(405, _("Method not allowed"), _("Post alerts to this address."))
        response["Allow"] = "POST"
        return response
    source = sources.authenticate(source_id, token or _bearer(request))
    if source is None:
        response = problem(401, _("Not authenticated"), _("The alert source or its token is not valid."))
        response["WWW-Authenticate"] = 'Bearer realm="atiende-alerts"'
        return response
    if not source.is_active:
        return problem(403, _("Source disabled"), _("This alert source is disabled."))
    body = _body(request)
    if body is None:
        return problem(
            413,
            _("Payload too large"),
            _("Alert payloads are limited to %(bytes)s bytes.") % {"bytes": MAX_BODY_BYTES},
        )
    try:
        alerts = payloads.parse(body, source.format)
    except payloads.PayloadError as error:
        return problem(400, _("Invalid alert payload"), str(error))
    try:
        outcome = incidents.receive(source, alerts)
    except DomainError as error:
        # The source's configuration stopped fitting (an inactive queue or contact...): an
        # administrator must fix it; meanwhile the sender keeps retrying and nothing is lost.
        logger.warning("Alert source %s could not file its alerts: %s", source.pk, error.message)
        response = problem(503, _("Alerts not filed"), error.message)
        response["Retry-After"] = "60"
        return response
    return JsonResponse(asdict(outcome))


def problem(status: int, title: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status=status,
        content_type="application/problem+json",
    )


def _bearer(request: HttpRequest) -> str:
    scheme, _space, credentials = request.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""


def _body(request: HttpRequest) -> bytes | None:
    """The body, or None when it is over the limit (read no further than the limit)."""
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        return None
    body = request.read(MAX_BODY_BYTES + 1)
    return body if len(body) <= MAX_BODY_BYTES else None
