"""Every API error is an RFC 9457 problem (`application/problem+json`):

    {"type": "urn:atiende:problem:not_found", "title": "No encontrado", "status": 404,
     "detail": "…", "instance": "/api/v1/tickets/9/", "code": "not_found"}

Validation errors add `errors`, a list of `{"field": …, "message": …}` (`field` is the
request field, or "" for the whole request; nested fields are dotted, `items.0.name`).
The domain's refusals keep their words (already in the request's language: Spanish,
English with `Accept-Language: en`): `NotAllowed` → 403, `InvalidValue` → 400 with its
field, `TicketClosed` → 409. An unexpected error is logged and answered with a bare 500
problem: never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import set_rollback

from atiende.errors import DomainError, InvalidValue, NotAllowed
from atiende.tickets.exceptions import TicketClosed

PROBLEM_CONTENT_TYPE = "application/problem+json"

logger = logging.getLogger(__name__)


def _titles() -> dict[int, str]:
    return {
        400: _("Invalid request"),
        401: _("Not authenticated"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        409: _("Conflict"),
        412: _("Precondition failed"),
        413: _("Request too large"),
        415: _("Unsupported media type"),
        422: _("Unprocessable request"),
        428: _("Precondition required"),
        429: _("Too many requests"),
        500: _("Server error"),
    }


def problem(
    status_code: int,
    detail: str,
    *,
    code: str,
    instance: str = "",
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem response; views may return one directly for refusals of their own."""
    data: dict[str, Any] = {
        "type": f"urn:atiende:problem:{code}",
        "title": _titles().get(status_code, _("Error")),
        "status": status_code,
        "detail": str(detail),
        "code": code,
    }
    if instance:
        data["instance"] = instance
    if errors is not None:
        data["errors"] = errors
    return Response(data, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def field_errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested error detail, flattened to fields and messages."""
    found: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for name, value in detail.items():
            field = "" if name == "non_field_errors" else str(name)
            found += field_errors(value, f"{prefix}.{field}" if prefix and field else prefix or field)
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            found += [{"field": prefix, "message": str(item)} for item in detail]
        else:
            for index, item in enumerate(detail):
                found += field_errors(item, f"{prefix}.{index}" if prefix else str(index))
    else:
        found.append({"field": prefix, "message": str(detail)})
    return found


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def problem_handler(exc: Exception, context: dict[str, Any]) -> Response:
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, (Http404, ObjectDoesNotExist)):
        # Never Django's text ("No Ticket matches the given query."): it names our models.
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, exceptions.ValidationError):
        set_rollback()
        errors = field_errors(as_serializer_error(exc))
        return problem(
            400,
            _("The request has invalid values: see errors."),
            code="invalid",
            instance=instance,
            errors=errors,
        )
    if isinstance(exc, exceptions.APIException):
        set_rollback()
        headers: dict[str, str] = {}
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
        wait = getattr(exc, "wait", None)
        if wait:
            headers["Retry-After"] = f"{int(wait)}"
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.default_detail)
        return problem(exc.status_code, detail, code=_code(exc), instance=instance, headers=headers)
    if isinstance(exc, DomainError):
        set_rollback()
        if isinstance(exc, InvalidValue):
            return problem(
                400,
                exc.message,
                code="invalid_value",
                instance=instance,
                errors=[{"field": exc.field, "message": exc.message}],
            )
        if isinstance(exc, NotAllowed):
            return problem(403, exc.message, code="not_allowed", instance=instance)
        if isinstance(exc, TicketClosed):
            return problem(409, exc.message, code="ticket_closed", instance=instance)
        return problem(400, exc.message, code="refused", instance=instance)
    logger.exception("Unexpected error in the API at %s", instance, exc_info=exc)
    set_rollback()
    return problem(
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        _("Something went wrong on our side. It has been logged; please try again later."),
        code="server_error",
        instance=instance,
    )


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any URL under `/api/` that no route knows: the 404 problem, never Django's HTML page."""
    response = problem_handler(Http404(), {"request": request})
    return JsonResponse(
        response.data,
        status=response.status_code,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
