"""The knowledge base, read-only: the published articles the caller may read, in the
language of the request, as the portal shows them. `knowledge.access` decides: engineers
read every published article, internal ones included; a contact the public ones and those
for their companies; an article without a version in the language is not there."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from atiende.api.resources.pagination import Cursor
from atiende.api.resources.schema import answers
from atiende.api.resources.views.common import api_user
from atiende.knowledge import access, search
from atiende.knowledge.models import ArticleText

SEARCH = OpenApiParameter(
    "q",
    str,
    description="Words to search for (accents and word endings do not matter). With it, the best "
    "matches come first, a single page of at most `page_size`.",
)
MAX_QUERY = 200


class ArticleOut(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="article_id")
    title = serializers.CharField()
    language = serializers.CharField()
    category = serializers.CharField(source="article.category.name")
    visibility = serializers.CharField(source="article.visibility")
    updated_at = serializers.DateTimeField(source="article.updated_at")
    url = serializers.SerializerMethodField()

    def get_url(self, text: ArticleText) -> str:
        request = self.context.get("request")
        path = reverse("portal:kb-article", args=[text.article_id])
        return request.build_absolute_uri(path) if request is not None else path


class ArticleDetailOut(ArticleOut):
    html = serializers.CharField(source="body_html", help_text="The article, as sanitized HTML.")
    markdown = serializers.CharField(source="body_markdown")


def _texts(request: Request) -> QuerySet[ArticleText]:
    return access.readable_texts(api_user(request), access.reading_language()).select_related(
        "article__category"
    )


class ArticleList(generics.GenericAPIView[ArticleText]):
    serializer_class = ArticleOut
    pagination_class = Cursor
    cursor_ordering = ("-id",)

    def get_queryset(self) -> QuerySet[ArticleText]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return ArticleText.objects.none()
        return _texts(self.request)

    @extend_schema(
        operation_id="articles_list", parameters=[SEARCH], responses=answers(ArticleOut(many=True))
    )
    def get(self, request: Request) -> Response:
        words = " ".join(request.query_params.get("q", "").split())[:MAX_QUERY]
        if not words:
            page = self.paginate_queryset(self.get_queryset())
            return self.get_paginated_response(ArticleOut(page, many=True, context={"request": request}).data)
        paginator: Any = self.paginator
        size = paginator.get_page_size(request) or paginator.page_size
        found = search.matching(self.get_queryset(), words, language=access.reading_language())[:size]
        data = ArticleOut(found, many=True, context={"request": request}).data
        return Response({"next": None, "previous": None, "results": data})


class ArticleDetail(APIView):
    @extend_schema(operation_id="articles_retrieve", responses=answers(ArticleDetailOut))
    def get(self, request: Request, pk: int) -> Response:
        text = access.get_text_for_reader(api_user(request), pk, access.reading_language())
        return Response(ArticleDetailOut(text, context={"request": request}).data)
