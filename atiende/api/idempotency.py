"""`Idempotency-Key` for POSTs: a retried request returns the first answer, never a second
effect (a second ticket, a second reply).

For the engineers writing API views — apply `@idempotent` to every POST handler:

    from atiende.api.idempotency import idempotent

    class TicketList(generics.ListCreateAPIView):
        @idempotent
        def post(self, request, *args, **kwargs):        # or `def create(...)` on a ViewSet,
            ...                                          # or an @action(methods=["post"])

What it does, when the request carries `Idempotency-Key: <1–255 visible ASCII characters>`
(without the header the handler simply runs):

- The key is scoped to the authenticated user (their tokens and their session share it).
- First request: the handler runs inside one transaction together with the insertion of
  an `IdempotencyRecord` (unique on user and key), and the response it returns (status,
  JSON body, Location/ETag/Content-Type) is stored in that same transaction. Either both
  the effect and the record commit, or neither.
- Same key, same request (method, path and body — JSON canonicalised; multipart fields
  and files by content): the stored response is returned, with `Idempotent-Replayed: true`.
- Same key, different request: 422 problem, code `idempotency_key_reused`.
- Two identical requests at the same time: the second waits on the first's row (the
  unique index on PostgreSQL; SQLite's write lock, transactions being IMMEDIATE), then
  finds the record and replays it. One effect.
- An exception from the handler (a domain refusal, a validation error) or a 5xx response
  stores nothing: the refusal is not cached and the client may retry with the same key.

A key counts for `RETENTION` (24 hours); after that it may be used again for anything.
`prune()` deletes the older records in bulk (a periodic job may call it)."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from atiende.api.errors import problem
from atiende.api.models import IdempotencyRecord

__all__ = ["RETENTION", "IdempotencyRecord", "idempotent", "prune"]

HEADER = "Idempotency-Key"
RETENTION = timedelta(hours=24)
_KEPT_HEADERS = ("Location", "ETag")

Handler = TypeVar("Handler", bound=Callable[..., Response])


def _key_of(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not (1 <= len(key) <= 255) or not all(33 <= ord(c) <= 126 for c in key):
        raise ValidationError(
            {HEADER: [_("The Idempotency-Key must be 1 to 255 visible ASCII characters, without spaces.")]}
        )
    return key


def fingerprint(request: Request) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    data = request.data
    if hasattr(data, "lists"):
        for name, values in sorted(data.lists(), key=lambda item: item[0]):
            for value in values:
                digest.update(f"\n{name}=".encode())
                if isinstance(value, UploadedFile):
                    digest.update(f"file:{value.name}:{value.size}:".encode())
                    for chunk in value.chunks():
                        digest.update(chunk)
                    value.seek(0)
                else:
                    digest.update(str(value).encode())
    else:
        digest.update(json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode())
    return digest.hexdigest()


def _replay(record: IdempotencyRecord, request: Request, print_: str) -> Response:
    if record.fingerprint != print_:
        return problem(
            422,
            _(
                "This Idempotency-Key was already used for a different request. Use a new key for a new request."
            ),
            code="idempotency_key_reused",
            instance=request.path,
        )
    headers = dict(record.headers)
    content_type = headers.pop("Content-Type", None)
    data = json.loads(record.body) if record.body else None
    response = Response(data, status=record.status_code, headers=headers, content_type=content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def _store(record: IdempotencyRecord, response: Response) -> None:
    record.status_code = response.status_code
    record.body = JSONRenderer().render(response.data).decode() if response.data is not None else ""
    record.headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
    if response.content_type:  # a problem; otherwise the renderer decides, as the first time
        record.headers["Content-Type"] = response.content_type
    record.save(update_fields=["status_code", "body", "headers"])


def idempotent(handler: Handler) -> Handler:
    @functools.wraps(handler)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = _key_of(request)
        user = request.user
        if key is None or user is None or not user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        print_ = fingerprint(request)
        with transaction.atomic():
            # A record older than RETENTION no longer counts: it goes, and the key is new.
            IdempotencyRecord.objects.filter(
                user=user, key=key, created_at__lt=timezone.now() - RETENTION
            ).delete()
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        user=user, key=key, fingerprint=print_, status_code=0
                    )
            except IntegrityError:
                return _replay(IdempotencyRecord.objects.get(user=user, key=key), request, print_)
            response = handler(view, request, *args, **kwargs)
            if response.status_code >= 500:
                transaction.set_rollback(True)
                return response
            _store(record, response)
            return response

    return wrapper  # type: ignore[return-value]


def prune(now: Any = None) -> int:
    """Delete the records older than RETENTION; returns how many."""
    deleted, _kinds = IdempotencyRecord.objects.filter(
        created_at__lt=(now or timezone.now()) - RETENTION
    ).delete()
    return deleted
