"""Issued statements, read-only: the list, one statement with its totals and hour bank,
and its lines. `billing.access.statements_for` decides who reads which: supervisors and
administrators every company's, a company's billing contacts their company's; anyone
else (an engineer of one queue, a contact who is not a billing contact) none. Another
company's statement answers 404, as one that does not exist. Drafts are never here: a
draft changes until the month is issued."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from atiende.api.resources.pagination import Cursor
from atiende.api.resources.schema import answers
from atiende.api.resources.views.common import api_user
from atiende.billing.access import statements_for
from atiende.billing.models import Statement, StatementLine

NUMBER = re.compile(r"^\d{4}-\d{4,6}$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")

COMPANY = OpenApiParameter("company", int, description="Only this company's statements.")
PERIOD = OpenApiParameter("month", str, description="Only this month's statements (YYYY-MM).")


class StatementOut(serializers.Serializer[Any]):
    number = serializers.CharField()
    company = serializers.IntegerField(source="organization_id")
    company_name = serializers.CharField(source="organization.name")
    contract = serializers.IntegerField(source="contract_id", allow_null=True)
    month = serializers.SerializerMethodField()
    currency = serializers.CharField()
    subtotal = serializers.DecimalField(max_digits=16, decimal_places=2)
    tax = serializers.DecimalField(max_digits=16, decimal_places=2)
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    issued_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_month(self, statement: Statement) -> str:
        return statement.period.strftime("%Y-%m")

    def get_url(self, statement: Statement) -> str:
        request = self.context.get("request")
        path = reverse("api:statement-detail", args=[statement.number])
        return request.build_absolute_uri(path) if request is not None else path


class StatementDetailOut(StatementOut):
    bank_opening_hours = serializers.SerializerMethodField()
    bank_drawn_hours = serializers.SerializerMethodField()
    bank_closing_hours = serializers.SerializerMethodField()
    seal = serializers.CharField(source="content_sha256", help_text="SHA-256 of the statement as issued.")

    def get_bank_opening_hours(self, statement: Statement) -> str:
        return _hours(statement.opening_minutes)

    def get_bank_drawn_hours(self, statement: Statement) -> str:
        return _hours(statement.drawn_minutes)

    def get_bank_closing_hours(self, statement: Statement) -> str:
        return _hours(statement.closing_minutes)


def _hours(minutes: Any) -> str:
    """Hours as an exact decimal string (two places), as the amounts are."""
    return str((Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class StatementLineOut(serializers.Serializer[Any]):
    position = serializers.IntegerField()
    kind = serializers.CharField()
    ticket = serializers.IntegerField(source="ticket_number", allow_null=True)
    work_date = serializers.DateField(allow_null=True)
    engineer = serializers.CharField()
    description = serializers.CharField()
    minutes = serializers.IntegerField()
    billed_minutes = serializers.IntegerField()
    after_hours_minutes = serializers.IntegerField()
    bank_minutes = serializers.DecimalField(max_digits=12, decimal_places=2)
    charged_minutes = serializers.DecimalField(max_digits=12, decimal_places=2)
    rate = serializers.DecimalField(max_digits=14, decimal_places=2)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)


def _readable(request: Request) -> QuerySet[Statement]:
    return statements_for(api_user(request)).select_related("organization")


def _statement(request: Request, number: str) -> Statement:
    if not NUMBER.match(number):
        raise Http404
    found = _readable(request).filter(number=number).first()
    if found is None:
        raise Http404
    return found


class StatementList(generics.GenericAPIView[Statement]):
    serializer_class = StatementOut
    pagination_class = Cursor
    cursor_ordering = ("-id",)

    def get_queryset(self) -> QuerySet[Statement]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Statement.objects.none()
        rows = _readable(self.request)
        company = self.request.query_params.get("company", "")
        if company:
            if not (company.isascii() and company.isdigit()) or len(company) > 18:
                return Statement.objects.none()
            rows = rows.filter(organization_id=int(company))
        month = MONTH.match(self.request.query_params.get("month", ""))
        if self.request.query_params.get("month"):
            if month is None or not 1 <= int(month[2]) <= 12:
                return Statement.objects.none()
            rows = rows.filter(period__year=int(month[1]), period__month=int(month[2]))
        return rows

    @extend_schema(
        operation_id="statements_list",
        parameters=[COMPANY, PERIOD],
        responses=answers(StatementOut(many=True)),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(StatementOut(page, many=True, context={"request": request}).data)


class StatementDetail(APIView):
    @extend_schema(operation_id="statements_retrieve", responses=answers(StatementDetailOut))
    def get(self, request: Request, statement: str) -> Response:
        found = _statement(request, statement)
        return Response(StatementDetailOut(found, context={"request": request}).data)


class StatementLines(generics.GenericAPIView[StatementLine]):
    serializer_class = StatementLineOut
    pagination_class = Cursor
    cursor_ordering = ("position",)

    def get_queryset(self) -> QuerySet[StatementLine]:
        if getattr(self, "swagger_fake_view", False):
            return StatementLine.objects.none()
        found = _statement(self.request, self.kwargs["statement"])
        return StatementLine.objects.filter(statement=found)

    @extend_schema(operation_id="statements_lines_list", responses=answers(StatementLineOut(many=True)))
    def get(self, request: Request, statement: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(StatementLineOut(page, many=True).data)
