"""What the schema says every resource may answer besides success: RFC 9457 problems
(`atiende.api.errors`), so a client generated from the schema knows their shape and a
contract test finds every status it meets documented."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

PROBLEM = "application/problem+json"


class FieldProblem(serializers.Serializer[Any]):
    field = serializers.CharField(
        help_text="The request field, dotted when nested; empty for the whole request."
    )
    message = serializers.CharField()


class Problem(serializers.Serializer[Any]):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()
    instance = serializers.CharField(required=False)
    errors = FieldProblem(many=True, required=False)  # type: ignore[assignment]


READ_PROBLEMS = (400, 401, 403, 404, 405, 406, 429)
# Writes may also meet a closed ticket (409), a stale If-Match (412), an unreadable body
# (413, 415) and an Idempotency-Key reused for another request (422).
WRITE_PROBLEMS = (*READ_PROBLEMS, 409, 412, 413, 415, 422)


def answers(success: Any, *, write: bool = False) -> dict[Any, Any]:
    """`success` (a serializer, or a dict of status → serializer) and the problems."""
    responses: dict[Any, Any] = dict(success) if isinstance(success, dict) else {200: success}
    for status in WRITE_PROBLEMS if write else READ_PROBLEMS:
        responses[(status, PROBLEM)] = Problem
    return responses
