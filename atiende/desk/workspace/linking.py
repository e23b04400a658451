"""Tickets and other tickets: *Vincular*, *Fusionar* and *Separar en un ticket nuevo*."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from atiende.accounts.models import User
from atiende.desk.common import agent_user, get_ticket_for_agent
from atiende.desk.workspace import context
from atiende.desk.workspace.forms import LinkForm, MergeForm, SplitForm
from atiende.desk.workspace.views import TEMPLATE, HtmxHttpRequest, back_to, page
from atiende.tickets import access, actions
from atiende.tickets.exceptions import DomainError, InvalidValue
from atiende.tickets.models import Channel, LinkKind, Ticket


def _other_ticket(user: User, number: int) -> Ticket | None:
    """Another ticket by its number, among those this engineer may see."""
    return (
        access.tickets_visible_to(user)
        .select_related("status", "priority", "organization", "requester__user")
        .filter(number=number)
        .first()
    )


def _not_found(number: int) -> str:
    return _("Ticket #%(number)s was not found among the tickets you can see.") % {"number": number}


@login_required
@require_POST
def ticket_link(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """*Vincular*: this ticket is related to, or continues, another one."""
    user, _agent = agent_user(request)
    ticket = get_ticket_for_agent(user, number)
    form = LinkForm(request.POST)
    if form.is_valid():
        other = _other_ticket(user, form.cleaned_data["number"])
        if other is None:
            form.add_error("number", _not_found(form.cleaned_data["number"]))
        else:
            try:
                kind = LinkKind(form.cleaned_data["kind"])
                actions.link_tickets(user, ticket, other, kind=kind, channel=Channel.WEB)
            except InvalidValue as error:
                form.add_error("number", error.message)
            except DomainError as error:
                form.add_error(None, error.message)
    if request.htmx:
        values = {"ticket": ticket, **context.links(user, ticket, None if not form.errors else form)}
        return render(request, f"{TEMPLATE}#links", values)
    if form.errors:
        return page(request, ticket, link_form=form, status=400)
    return back_to(ticket, "links")


@login_required
@require_http_methods(["GET", "POST"])
def ticket_merge(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """*Fusionar*: GET asks for confirmation, saying what will happen; POST merges this
    ticket into the other one and goes to it."""
    user, _agent = agent_user(request)
    duplicate = get_ticket_for_agent(user, number)
    form = MergeForm(request.POST if request.method == "POST" else (request.GET or None))
    survivor = None
    if form.is_valid():
        survivor = _other_ticket(user, form.cleaned_data["into"])
        if survivor is None:
            form.add_error("into", _not_found(form.cleaned_data["into"]))
        elif survivor.pk == duplicate.pk:
            form.add_error("into", _("Write the number of the ticket that stays, not this one."))
    if request.method == "POST" and survivor is not None and not form.errors:
        try:
            actions.merge_tickets(user, duplicate, survivor, channel=Channel.WEB)
        except InvalidValue as error:
            form.add_error("into", error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Ticket %(duplicate)s was merged into this one and closed.")
                % {"duplicate": duplicate.reference},
            )
            return redirect("desk:ticket", number=survivor.number)
    return render(
        request,
        "desk/ticket/merge.html",
        {"ticket": duplicate, "survivor": survivor if not form.errors else None, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def ticket_split(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """*Separar en un ticket nuevo*: a public message that is really another request."""
    user, _agent = agent_user(request)
    ticket = get_ticket_for_agent(user, number)
    form = SplitForm(request.POST)
    if form.is_valid():
        message = ticket.messages.filter(pk=form.cleaned_data["message"]).first()
        if message is None:
            raise Http404
        try:
            new = actions.split_message(
                user, message, subject=form.cleaned_data["subject"], channel=Channel.WEB
            )
        except DomainError as error:
            if not (isinstance(error, InvalidValue) and error.field == "subject"):
                # Nothing typed to keep: the refusal is about the message, shown above the page.
                messages.error(request, error.message)
                return back_to(ticket)
            form.add_error("subject", error.message)
        else:
            messages.success(
                request,
                _("The message became ticket %(new)s, linked to %(old)s.")
                % {"new": new.reference, "old": ticket.reference},
            )
            return redirect("desk:ticket", number=new.number)
    return page(request, ticket, split_form=form, status=400)
