"""The contacts' pages. Each view parses the request, loads through `access`, calls one
action and renders; the manual's words are in the templates."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from atiende.accounts.auth import signed_in_user
from atiende.accounts.models import Organization, User
from atiende.billing import banks
from atiende.incidents import access as incident_access
from atiende.knowledge import actions as knowledge_actions
from atiende.portal import catalog, exports, once, rows, thread
from atiende.portal.company import choose_organization, current_organization, current_standing, standings
from atiende.portal.filters import TicketFilterForm
from atiende.portal.forms import CompanyChoiceForm, EditTicketForm, PortalTicketForm, ReplyForm, uploads_from
from atiende.satisfaction import queries as satisfaction
from atiende.sla import queries as sla_queries
from atiende.tickets import access, actions, queries, receipts
from atiende.tickets import search as ticket_search
from atiende.tickets.exceptions import DomainError, InvalidValue, TicketClosed
from atiende.tickets.models import Channel, StatusKind, Ticket

PAGE_SIZE = 25


def _contact_user(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if access.active_contact(user) is None:
        raise Http404
    return user


def _company_context(request: HttpRequest, user: User, organization: Organization) -> dict[str, Any]:
    companies = [standing.organization for standing in standings(request, user)]
    return {
        "organization": organization,
        "companies": companies,
        "several_companies": len(companies) > 1,
        "known_incidents": incident_access.known_to_contact(user, organization),
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The contact's panel: counts, *Nuevo Ticket*, recent tickets, contracted services."""
    user = _contact_user(request)
    organization = current_organization(request, user)
    return render(
        request,
        "portal/home.html",
        {
            "counts": queries.counts_for_contact(user, organization),
            "recent": rows.render(
                rows.rows(
                    rows.listing(queries.tickets_for_contact(user, organization), with_requester=False)[:5]
                )
            ),
            "services": queries.services_of(organization),
            **_company_context(request, user, organization),
        },
    )


@login_required
@require_POST
def company_switch(request: HttpRequest) -> HttpResponse:
    user = _contact_user(request)
    form = CompanyChoiceForm(request.POST, user=user)
    if form.is_valid():
        organization = choose_organization(request, user, form.cleaned_data["company"].pk)
        messages.success(request, _("You are now working with %(company)s.") % {"company": organization})
    next_url = request.POST.get("next", "")
    return redirect(next_url if next_url.startswith("/portal/") else reverse("portal:home"))


# --- lists -----------------------------------------------------------------------------


def _ticket_list(request: HttpRequest, *, scope: str) -> HttpResponse:
    user = _contact_user(request)
    standing = current_standing(request, user)
    organization = standing.organization
    if scope == "company" and not standing.sees_company:
        raise Http404
    tickets = queries.tickets_for_contact(user, organization, company=scope != "mine")
    filters = TicketFilterForm(
        request.GET, organization=organization, with_requester=scope != "mine", with_state=scope != "search"
    )
    filtered: QuerySet[Ticket] = filters.apply(tickets)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        name = f"tickets-{organization.name}".replace(" ", "-")
        exported = filtered[: exports.MAX_ROWS]
        return exports.as_csv(exported, name) if export == "csv" else exports.as_xlsx(exported, name)
    state_counts = queries.open_closed_counts(tickets) if scope != "search" else None
    paginator = Paginator(rows.listing(filtered, with_requester=scope != "mine"), PAGE_SIZE)
    if state_counts is not None and not filters.has_filters:
        # The tab's own count: the list is that tab's tickets and nothing else.
        state = filters.cleaned_data.get("state") or "open"
        paginator.count = state_counts[state] if state in state_counts else sum(state_counts.values())
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = rows.rows(page.object_list)
    q = filters.cleaned_data.get("q")
    listed = rows.render(
        page.object_list,
        snippets=ticket_search.snippets(page.object_list, q, viewer=user) if q else None,
        show_requester=scope != "mine",
        group=bool(filters.cleaned_data.get("group")),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/tickets/list.html",
        {
            "scope": scope,
            "show_requester": scope != "mine",
            "filters": filters,
            "page": page,
            "listed": listed,
            "query": query.urlencode(),
            "state": request.GET.get("state") or "open",
            "state_counts": state_counts,
            **_company_context(request, user, organization),
        },
    )


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    """*Mis Tickets*, split into open and closed."""
    return _ticket_list(request, scope="mine")


@login_required
def company_ticket_list(request: HttpRequest) -> HttpResponse:
    """*Tickets de la Compañía*: every ticket of the company, by any of its people."""
    return _ticket_list(request, scope="company")


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """*Buscar*: every ticket the contact may see, by any field used at creation or by content."""
    return _ticket_list(request, scope="search")


# --- one ticket --------------------------------------------------------------------------


@login_required
def ticket_new(request: HttpRequest) -> HttpResponse:
    """*Nuevo Ticket*. Sent twice (back button, second click), it shows the first ticket."""
    user = _contact_user(request)
    organization = current_organization(request, user)
    contact = access.active_contact(user)
    if contact is None:
        raise Http404
    token = once.token_of(request)
    already = once.sent_ticket(request, token)
    if already is not None:
        messages.info(
            request,
            _(
                "This form had already been sent: it registered ticket #%(number)s. No other ticket was opened."
            )
            % {"number": already},
        )
        return redirect("portal:ticket-detail", number=already)
    initial = {"continues": request.GET.get("continues")}
    form = PortalTicketForm(
        request.POST or None,
        request.FILES or None,
        organization=organization,
        requester=contact,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        cited = form.cleaned_data["continues"]
        continues = access.tickets_visible_to(user).filter(number=cited).first() if cited else None
        if cited and continues is None:
            form.add_error(
                "continues", _("Ticket #%(number)s was not found among your tickets.") % {"number": cited}
            )
        else:
            ticket = form.submit(user, requester=contact, channel=Channel.WEB, continues=continues)
            if ticket is not None:
                knowledge_actions.note_ticket_after_suggestions(user, ticket)
                once.remember(request, token, ticket.number)
                messages.success(
                    request,
                    _("Ticket #%(number)s was registered. We sent you a confirmation by email.")
                    % {"number": ticket.number},
                )
                return redirect(reverse("portal:ticket-detail", args=[ticket.number]) + "?sent=new")
    if form.is_bound and request.FILES:
        form.files_lost = True  # type: ignore[attr-defined]
    return render(
        request,
        "portal/tickets/new.html",
        {
            "form": form,
            "form_token": token or once.issue(),
            # Said before sending: a new ticket of a company whose bank is used up is billed.
            "exhausted_bank": banks.exhausted_bank(organization.pk),
            **_company_context(request, user, organization),
        },
        status=400 if form.is_bound else 200,
    )


# What the ticket page asks of the ticket as it reads it (`tickets.related`).
ASKED = (queries.LINKS, satisfaction.RATING, incident_access.GATHERED)


def _detail_context(user: User, ticket: Ticket) -> dict[str, Any]:
    """The ticket was loaded through `access.get_ticket_for_user`: the user sees it, so
    what the requester may do depends only on whether they are the requester."""
    contact = access.active_contact(user)
    is_requester = contact is not None and ticket.requester_id == contact.pk
    listed = catalog.load()
    return {
        "ticket": ticket,
        "thread": (bubbles := thread.thread_for_contact(ticket)),
        "thread_html": thread.render(bubbles),
        "links": queries.links_for(user, ticket),
        "can_edit": is_requester and not ticket.is_closed,
        "asks_if_resolved": is_requester and ticket.status.kind == StatusKind.RESOLVED,
        "stages": queries.stage_timeline(ticket, listed.statuses),
        "facts": {
            "type": listed.types.get(ticket.type_id) if ticket.type_id else None,
            "category": listed.categories.get(ticket.category_id) if ticket.category_id else None,
            "service": listed.services.get(ticket.service_id) if ticket.service_id else None,
            "location": listed.location(ticket.organization_id, ticket.location_id) or ticket.location,
        },
        "part_of_incident": incident_access.incident_of_child(ticket),
        # Only the requester rates; the link their page uses is the one their email carries.
        "satisfaction": satisfaction.for_requester(ticket) if is_requester else None,
    }


@login_required
def ticket_detail(request: HttpRequest, number: int) -> HttpResponse:
    user = _contact_user(request)
    ticket = access.get_ticket_for_user(user, number, asking=ASKED, joining=sla_queries.WITH_TICKET)
    sent = request.GET.get("sent", "")
    return render(
        request,
        "portal/tickets/detail.html",
        {
            **_detail_context(user, ticket),
            "form": ReplyForm(),
            "form_token": once.issue(),
            "draft_sent": sent if sent in {"new", "reply"} else "",
        },
    )


@login_required
def ticket_receipt(request: HttpRequest, number: int) -> HttpResponse:
    """*Comprobante*: what was filed and when, sealed by the ticket's history chain, for the
    contact to keep "como respaldo de su solicitud" and check later (`atiende verify-history
    --receipt`)."""
    user = _contact_user(request)
    ticket = access.get_ticket_for_user(user, number)
    body = json.dumps(receipts.receipt(ticket), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="comprobante-ticket-{ticket.number}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def ticket_reply(request: HttpRequest, number: int) -> HttpResponse:
    """*Contestar*. A GET (signing in again after the session expired returns here) leads
    to the ticket, where the draft waits; the same form sent twice adds one message."""
    user = _contact_user(request)
    ticket = access.get_ticket_for_user(user, number)
    if request.method == "GET":
        return redirect(reverse("portal:ticket-detail", args=[number]) + "#reply-title")
    token = once.token_of(request)
    if once.sent_ticket(request, token) == ticket.number:
        messages.info(request, _("This message had already been sent; it was not added twice."))
        return redirect(reverse("portal:ticket-detail", args=[number]) + "#last")
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_reply(
                user,
                ticket,
                channel=Channel.WEB,
                text=form.cleaned_data["text"],
                attachments=uploads_from(form.cleaned_data["attachments"]),
            )
        except TicketClosed as error:
            messages.error(request, error.message)
            return redirect("portal:ticket-detail", number=number)
        except InvalidValue as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            once.remember(request, token, ticket.number)
            messages.success(request, _("Your message was added to the ticket."))
            return redirect(reverse("portal:ticket-detail", args=[number]) + "?sent=reply#last")
    if request.FILES:
        form.files_lost = True  # type: ignore[attr-defined]
    return render(
        request,
        "portal/tickets/detail.html",
        {**_detail_context(user, ticket), "form": form, "form_token": token or once.issue()},
        status=400,
    )


@login_required
@require_POST
def ticket_resolution(request: HttpRequest, number: int) -> HttpResponse:
    """The answer to "¿Se resolvió su solicitud?": *Sí, cerrar* closes the ticket; *No, sigue
    el problema* leads to *Contestar*, whose reply puts the ticket back in progress."""
    user = _contact_user(request)
    ticket = access.get_ticket_for_user(user, number)
    if request.POST.get("answer") != "yes":
        messages.info(
            request, _("Tell us what is still happening: your reply puts the ticket back in progress.")
        )
        return redirect(reverse("portal:ticket-detail", args=[number]) + "#reply-title")
    if ticket.status.kind != StatusKind.RESOLVED:
        return redirect("portal:ticket-detail", number=number)
    try:
        actions.close_ticket(user, ticket, channel=Channel.WEB)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you. Ticket #%(number)s is closed.") % {"number": number})
    return redirect("portal:ticket-detail", number=number)


@login_required
def ticket_edit(request: HttpRequest, number: int) -> HttpResponse:
    """*Modificar*: the requester corrects subject, type, category or location."""
    user = _contact_user(request)
    ticket = access.get_ticket_for_user(user, number)
    if not access.can_edit_as_requester(user, ticket):
        raise Http404
    if ticket.status.kind == StatusKind.CLOSED:
        messages.error(request, TicketClosed(ticket).message)
        return redirect("portal:ticket-detail", number=number)
    form = EditTicketForm(request.POST or None, ticket=ticket)
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions.change_ticket(user, ticket, channel=Channel.WEB, **form.cleaned_data)
        except InvalidValue as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if changed:
                messages.success(request, _("The ticket was updated."))
            return redirect("portal:ticket-detail", number=number)
    return render(request, "portal/tickets/edit.html", {"ticket": ticket, "form": form})
