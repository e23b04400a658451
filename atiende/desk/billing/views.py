"""Billing in the desk (supervisors and administrators): the month's drafts per company,
issuing, adjusting and downloading statements, and the accounting export."""

from __future__ import annotations

import datetime
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from atiende import exports
from atiende.accounts.models import Organization, User
from atiende.billing import actions, banks, documents, statements
from atiende.billing.models import ContractTerms, Statement, month_start
from atiende.desk.common import agent_user
from atiende.tickets.exceptions import InvalidValue, NotAllowed
from atiende.tickets.models import Contract

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _biller(request: HttpRequest) -> User:
    user, agent = agent_user(request)
    if not agent.sees_all_queues:
        raise Http404
    return user


def _month(value: str | None) -> datetime.date:
    """?month=YYYY-MM, else last month (the one usually being billed)."""
    match = MONTH.match(value or "")
    if match and 1 <= int(match[2]) <= 12 and 2000 <= int(match[1]) <= 2999:
        return datetime.date(int(match[1]), int(match[2]), 1)
    return month_start(month_start(timezone.localdate()) - datetime.timedelta(days=1))


@login_required
@require_GET
def desk_index(request: HttpRequest) -> HttpResponse:
    """The month's companies with time or contracts, their draft totals and issued statements."""
    _biller(request)
    period = _month(request.GET.get("month"))
    companies = Organization.objects.filter(is_active=True).order_by("name")
    issued = {s.organization_id: s for s in Statement.objects.filter(period=period, contract__isnull=True)}
    following = (period + datetime.timedelta(days=32)).replace(day=1)
    previous = (period - datetime.timedelta(days=1)).replace(day=1)
    context = {
        "period": period,
        "rows": [(company, issued.get(company.pk)) for company in companies],
        "recent": Statement.objects.select_related("organization").order_by("-issued_at")[:20],
        "previous": previous,
        "following": following if following <= timezone.localdate() else None,
    }
    return render(request, "billing/desk_index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def desk_draft(request: HttpRequest, company: int) -> HttpResponse:
    """Preview a company's (or one contract's) month and issue it."""
    user = _biller(request)
    organization = get_object_or_404(Organization, pk=company)
    source = request.POST if request.method == "POST" else request.GET
    period = _month(source.get("month"))
    contract = _contract(organization, source.get("contract"))
    if request.method == "POST":
        try:
            statement = actions.issue_statement(user, organization, period, contract=contract)
        except (InvalidValue, NotAllowed) as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Statement %(number)s issued.") % {"number": statement.number})
            return redirect("billing:statement", statement=statement.number)
    draft = statements.build(organization, period, contract)
    context = {
        "draft": draft,
        "organization": organization,
        "contracts": organization.contracts.select_related("service").order_by("-valid_from"),
        "contract": contract,
        "may_issue": month_start(timezone.localdate()) > period,
    }
    return render(request, "billing/desk_draft.html", context)


@login_required
@require_GET
def desk_contract(request: HttpRequest, pk: int) -> HttpResponse:
    """A contract's billing: its terms over time, the hour bank this month, its statements."""
    _biller(request)
    contract = get_object_or_404(Contract.objects.select_related("organization", "service"), pk=pk)
    today = timezone.localdate()
    context = {
        "contract": contract,
        "terms": ContractTerms.objects.filter(contract=contract).order_by("-effective_from"),
        "in_force": statements.month_terms(statements.terms_of(contract), month_start(today)),
        "bank": banks.bank_balance(contract, today),
        "today": today,
        "statements": Statement.objects.filter(organization=contract.organization_id)
        .filter(Q(contract=contract) | Q(contract__isnull=True))
        .order_by("-period", "number")[:24],
    }
    return render(request, "billing/desk_contract.html", context)


def _contract(organization: Organization, value: str | None) -> Contract | None:
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise Http404
    return get_object_or_404(Contract, pk=int(value), organization=organization)


def _statement_for_desk(request: HttpRequest, statement: str) -> Statement:
    _biller(request)
    return get_object_or_404(Statement.objects.select_related("organization", "contract"), number=statement)


@login_required
@require_GET
def desk_statement(request: HttpRequest, statement: str) -> HttpResponse:
    found = _statement_for_desk(request, statement)
    context = {
        "statement": found,
        "lines": found.lines.order_by("position"),
        "seal_holds": actions.statement_seal_holds(found),
        "corrections": found.corrections.all(),
    }
    return render(request, "billing/desk_statement.html", context)


@login_required
@require_POST
def desk_adjust(request: HttpRequest, statement: str) -> HttpResponse:
    """A correction of an issued statement, billed on the company's next one."""
    user = _biller(request)
    found = _statement_for_desk(request, statement)
    try:
        actions.add_adjustment(
            user,
            found.organization,
            amount=request.POST.get("amount", ""),
            reason=request.POST.get("reason", ""),
            corrects=found,
            contract=found.contract,
        )
    except (InvalidValue, NotAllowed) as refusal:
        messages.error(request, str(refusal))
        context = {
            "statement": found,
            "lines": found.lines.order_by("position"),
            "seal_holds": actions.statement_seal_holds(found),
            "corrections": found.corrections.all(),
            "typed": {
                "amount": request.POST.get("amount", "")[:40],
                "reason": request.POST.get("reason", "")[:300],
            },
        }
        return render(request, "billing/desk_statement.html", context, status=400)
    messages.success(request, _("The adjustment will be on the next statement."))
    return redirect("billing:statement", statement=found.number)


@login_required
@require_GET
def desk_download(request: HttpRequest, statement: str, kind: str) -> HttpResponse:
    return documents.download(_statement_for_desk(request, statement), kind)


@login_required
@require_GET
def desk_export(request: HttpRequest) -> HttpResponse:
    """Every statement issued in a month, one CSV for the accounting system."""
    _biller(request)
    period = _month(request.GET.get("month"))
    rows = []
    for statement in (
        Statement.objects.filter(period=period).select_related("organization").order_by("number")
    ):
        rows.extend(documents.rows(statement))
    return exports.csv_response(f"estados-de-cuenta-{period:%Y-%m}.csv", documents.headers(), rows)
