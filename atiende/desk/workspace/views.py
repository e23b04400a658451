"""The ticket workspace: read the thread, write replies and notes, change properties.

Each view parses the request, loads the ticket through `get_ticket_for_agent` (404 outside
the agent's queues), calls one action and renders. htmx requests get the region they
redraw (with its errors, as a 200: the region itself says what went wrong); plain requests
get a redirect, or the whole page again with the errors and a 400.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import (
    HttpResponseClientRedirect,
    HttpResponseClientRefresh,
    reswap,
    retarget,
    trigger_client_event,
)
from django_htmx.middleware import HtmxDetails

from atiende.accounts.models import User
from atiende.desk.common import agent_user, get_ticket_for_agent
from atiende.desk.workspace import context, presence
from atiende.desk.workspace.forms import PROPERTY_FORMS, ComposerForm, TimeEntryForm
from atiende.sla import queries as sla_queries
from atiende.tickets import access, actions
from atiende.tickets.exceptions import DomainError, InvalidValue, TicketClosed
from atiende.tickets.models import CannedReply, Channel, Message, Ticket
from atiende.ui.uploads import uploads_from
from atiende.whatsapp import actions as whatsapp_actions

TEMPLATE = "desk/ticket/workspace.html"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def page(request: HttpRequest, ticket: Ticket, *, status: int = 200, **overrides: Any) -> HttpResponse:
    """The whole workspace, with any form that came back with errors."""
    user, _agent = agent_user(request)
    return render(request, TEMPLATE, context.workspace(user, ticket, **overrides), status=status)


def fragments(request: HttpRequest, names: list[str], values: dict[str, Any]) -> HttpResponse:
    """The first region swapped where htmx aimed, the others out of band by their ids."""
    parts = [
        render_to_string(f"{TEMPLATE}#{name}", {**values, "oob": index > 0}, request=request)
        for index, name in enumerate(names)
    ]
    return HttpResponse("".join(parts))


def back_to(ticket: Ticket, anchor: str = "") -> HttpResponse:
    url = reverse("desk:ticket", args=[ticket.number])
    return redirect(f"{url}#{anchor}" if anchor else url)


def closed_answer(request: HtmxHttpRequest, ticket: Ticket, error: TicketClosed) -> HttpResponse:
    """Someone closed the ticket meanwhile: show the page as it is now, with the reason."""
    messages.error(request, error.message)
    return HttpResponseClientRefresh() if request.htmx else back_to(ticket)


# --- reading -----------------------------------------------------------------------------


def _tab_only(request: HtmxHttpRequest) -> bool:
    """The tabs swap the middle of the page; a reload or history restore wants all of it."""
    return bool(request.htmx) and request.htmx.target == "tab-panel"


@login_required
@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def ticket(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """The workspace. Opening it marks the ticket as seen by this person."""
    user, _agent = agent_user(request)
    ticket = get_ticket_for_agent(
        user, number, asking=(*context.ASKED, actions.LastSeen(user.pk)), joining=sla_queries.WITH_TICKET
    )
    actions.mark_seen(user, ticket)
    if _tab_only(request):
        values = {
            "ticket": ticket,
            "tab": "conversation",
            **context.thread(ticket),
            **context.composer(ticket),
        }
        return render(request, f"{TEMPLATE}#tabpanel", values)
    return page(request, ticket, sent=request.GET.get("sent", ""), split=request.GET.get("split", ""))


@login_required
@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def ticket_history(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """*Historial*: every change with who, when and from what to what."""
    user, _agent = agent_user(request)
    ticket = get_ticket_for_agent(user, number)
    if _tab_only(request):
        values = {"ticket": ticket, "tab": "history", **context.history(ticket)}
        return render(request, f"{TEMPLATE}#tabpanel", values)
    return page(request, ticket, tab="history")


@login_required
@require_GET
def canned_reply(request: HttpRequest, number: int, pk: int) -> JsonResponse:
    """A canned reply's text filled in for this ticket, for the composer to insert."""
    user, _agent = agent_user(request)
    ticket = get_ticket_for_agent(user, number)
    reply = CannedReply.objects.filter(
        Q(queue=ticket.queue_id) | Q(queue__isnull=True), is_active=True, pk=pk
    ).first()
    if reply is None:
        raise Http404
    return JsonResponse({"title": reply.title, "text": actions.render_canned_reply(reply, ticket, user)})


# --- the thread --------------------------------------------------------------------------


def _post(user: User, ticket: Ticket, form: ComposerForm) -> Message:
    data = form.cleaned_data
    files = uploads_from(data["attachments"])
    if form.is_note:
        return actions.add_note(user, ticket, channel=Channel.WEB, text=data["text"], attachments=files)
    with transaction.atomic():  # a refused template choice takes the reply back with it
        message = actions.add_reply(
            user,
            ticket,
            channel=Channel.WEB,
            text=data["text"],
            attachments=files,
            then_status=form.then_status(),
        )
        if data["whatsapp_template"]:
            whatsapp_actions.choose_reply_template(user, message, data["whatsapp_template"])
    return message


@login_required
@require_POST
def ticket_compose(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """*Enviar*: a public reply (optionally moving the stage) or an internal note."""
    user, _agent = agent_user(request)
    ticket = get_ticket_for_agent(user, number)
    form = ComposerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            message = _post(user, ticket, form)
        except TicketClosed as error:
            return closed_answer(request, ticket, error)
        except InvalidValue as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            kind = form.cleaned_data["kind"]
            if not request.htmx:
                url = reverse("desk:ticket", args=[ticket.number])
                return redirect(f"{url}?sent={kind}#m{message.pk}")
            # The composer stays as it is in the browser (its script empties it on this
            # event), so the mode and the drop zone survive; thread, stage and panel redraw.
            values = {
                "ticket": ticket,
                "composer": ComposerForm(),
                **context.thread(ticket),
                **context.properties(user, ticket),
            }
            response = fragments(request, ["thread", "composer_errors", "head", "properties"], values)
            return trigger_client_event(response, "composer-sent", {"kind": kind})
    if request.htmx:
        # Only the messages are swapped: the text and the chosen files stay as they were.
        response = render(request, f"{TEMPLATE}#composer_errors", {"composer": form})
        return reswap(retarget(response, "#composer-errors"), "outerHTML")
    form.files_lost = bool(request.FILES)
    return page(request, ticket, composer_form=form, status=400)


# --- properties --------------------------------------------------------------------------


@login_required
@require_POST
def ticket_property(request: HtmxHttpRequest, number: int, field: str) -> HttpResponse:
    """One property changed in place (stage, priority, queue, … tags)."""
    user, _agent = agent_user(request)
    ticket = get_ticket_for_agent(user, number)
    form_class = PROPERTY_FORMS.get(field)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, ticket=ticket)
    errors: dict[str, str] = {}
    if form.is_valid():
        try:
            actions.change_ticket(user, ticket, channel=Channel.WEB, **form.changes())
        except TicketClosed as error:
            return closed_answer(request, ticket, error)
        except DomainError as error:
            errors[field] = error.message
    else:
        errors[field] = " ".join(
            str(message) for message in form.errors.get("value", form.non_field_errors())
        )
    if not access.can_work(user, ticket):
        # Moved to a queue this engineer does not work: the ticket is no longer theirs to see.
        messages.success(request, _("Ticket %(ref)s moved to another queue.") % {"ref": ticket.reference})
        home = reverse("desk:home")
        return HttpResponseClientRedirect(home) if request.htmx else redirect(home)
    if request.htmx and ticket.is_closed:
        return HttpResponseClientRefresh()  # the composer gives way to the closed notice
    return _properties_answer(request, user, ticket, errors)


@login_required
@require_POST
def ticket_take(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """*Tomar*: assign the ticket to oneself."""
    user, _agent = agent_user(request)
    ticket = get_ticket_for_agent(user, number)
    errors: dict[str, str] = {}
    try:
        actions.take_ticket(user, ticket, channel=Channel.WEB)
    except TicketClosed as error:
        return closed_answer(request, ticket, error)
    except DomainError as error:
        errors["assignee"] = error.message
    return _properties_answer(request, user, ticket, errors)


def _properties_answer(
    request: HtmxHttpRequest, user: User, ticket: Ticket, errors: dict[str, str]
) -> HttpResponse:
    """The properties panel again (htmx) or the page (plain form), with any refusal shown."""
    if request.htmx:
        values = {"ticket": ticket, **context.properties(user, ticket, errors)}
        return fragments(request, ["properties", "head"], values)
    if errors:
        return page(request, ticket, property_errors=errors, status=400)
    return back_to(ticket)


# --- presence ----------------------------------------------------------------------------


@login_required
@require_POST
def ticket_presence(request: HttpRequest, number: int) -> HttpResponse:
    """The page's ping: "I have this ticket open (and am typing)"; answers who else does."""
    user, _agent = agent_user(request)
    ticket = get_ticket_for_agent(user, number)
    if request.POST.get("leave"):
        presence.leave(ticket.pk, user)
        return HttpResponse(status=204)
    presence.ping(ticket.pk, user, typing=request.POST.get("typing") == "1")
    return render(request, f"{TEMPLATE}#presence", context.who_else(user, ticket))


# --- time --------------------------------------------------------------------------------


@login_required
@require_POST
def ticket_time(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """*Tiempo*: minutes spent, billable or not (closed tickets too: billing comes later)."""
    user, _agent = agent_user(request)
    ticket = get_ticket_for_agent(user, number)
    form = TimeEntryForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_time_entry(
                user,
                ticket,
                minutes=data["minutes"],
                billable=data["billable"],
                note=data["note"],
                work_date=data["work_date"],
                started_at=data["started_at"],
                channel=Channel.WEB,
            )
        except InvalidValue as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if not request.htmx:
                return back_to(ticket, "time")
            return render(request, f"{TEMPLATE}#time", {"ticket": ticket, **context.time(ticket)})
    if request.htmx:
        return render(request, f"{TEMPLATE}#time", {"ticket": ticket, **context.time(ticket, form)})
    return page(request, ticket, time_form=form, status=400)
