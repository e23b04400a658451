"""A ticket's files: what they are, and the file itself, under the same rule and with the
same response as the web download (`atiende.views.attachment_response`)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from atiende.api.resources.schema import answers
from atiende.api.resources.serializers import AttachmentDetailOut
from atiende.api.resources.views.common import api_user
from atiende.tickets.access import get_attachment_for_user
from atiende.views import attachment_response


class AnyFile(BaseRenderer):
    """Lets a client ask for the file with any `Accept`; refusals still come as JSON."""

    media_type = "*/*"
    format = "file"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        rendered: bytes = JSONRenderer().render(data)
        return rendered


class AttachmentDetail(APIView):
    @extend_schema(operation_id="attachments_retrieve", responses=answers(AttachmentDetailOut))
    def get(self, request: Request, pk: int) -> Response:
        attachment = get_attachment_for_user(api_user(request), pk)
        return Response(AttachmentDetailOut(attachment).data)


class AttachmentContent(APIView):
    renderer_classes = [JSONRenderer, AnyFile]

    @extend_schema(
        operation_id="attachments_content",
        parameters=[
            OpenApiParameter("download", bool, description="Always as a download, never shown inline.")
        ],
        responses=answers({(200, "application/octet-stream"): OpenApiTypes.BINARY}),
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        attachment = get_attachment_for_user(api_user(request), pk)
        return attachment_response(attachment, download="download" in request.query_params)
