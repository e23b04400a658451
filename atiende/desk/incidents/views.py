"""The desk's major incidents: the card on a ticket page (declare, the similar-ticket flag,
attach), the list of incidents and one incident's page (its tickets, updates, resolve)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from atiende.accounts.models import User
from atiende.desk.common import agent_user, get_ticket_for_agent
from atiende.desk.incidents.forms import AttachForm, DeclareForm, UpdateForm
from atiende.incidents import access, actions, queries
from atiende.incidents.models import Incident, IncidentState
from atiende.tickets import access as ticket_access
from atiende.tickets.exceptions import DomainError
from atiende.tickets.models import Ticket


def _fail(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, str(error))


@login_required
@require_GET
def ticket_incident(request: HttpRequest, number: int) -> HttpResponse:
    """The incident card beside a ticket (loaded after the page)."""
    user, _agent = agent_user(request)
    ticket = get_ticket_for_agent(user, number)
    return render(
        request,
        "desk/incidents/_ticket_card.html",
        {
            "ticket": ticket,
            "about": queries.for_ticket(user, ticket),
            "choices": queries.active_choices(user, ticket),
            "declare_form": DeclareForm(initial={"title": ticket.subject[:160]}),
        },
    )


@login_required
@require_POST
def ticket_incident_declare(request: HttpRequest, number: int) -> HttpResponse:
    user, _agent = agent_user(request)
    ticket = get_ticket_for_agent(user, number)
    form = DeclareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the title the affected contacts will read."))
        return redirect("desk:ticket", number=number)
    try:
        incident = actions.declare_incident(
            user,
            ticket,
            title=form.cleaned_data["title"],
            pause_children_sla=form.cleaned_data["pause_children_sla"],
        )
    except DomainError as error:
        _fail(request, error)
        return redirect("desk:ticket", number=number)
    messages.success(request, _("Ticket #%(number)s is now a major incident.") % {"number": number})
    return redirect("desk:incident", pk=incident.pk)


def _incident_ticket(user: User, number: int) -> Ticket:
    found = ticket_access.tickets_visible_to(user).filter(number=number).first()
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
def ticket_incident_attach(request: HttpRequest, number: int) -> HttpResponse:
    """One click: gather this ticket under the incident of the ticket named (declaring that
    one a major incident when it is not one yet)."""
    user, _agent = agent_user(request)
    ticket = get_ticket_for_agent(user, number)
    form = AttachForm(request.POST)
    if not form.is_valid():
        raise Http404
    same_as = _incident_ticket(user, form.cleaned_data["incident"])
    try:
        child = actions.attach_as_same_incident(user, ticket, same_as)
    except DomainError as error:
        _fail(request, error)
        return redirect("desk:ticket", number=number)
    messages.success(
        request,
        _("Ticket #%(number)s is now part of incident #%(incident)s.")
        % {"number": number, "incident": child.incident.ticket.number},
    )
    return redirect("desk:ticket", number=number)


@login_required
@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    user, _agent = agent_user(request)
    state = request.GET.get("state", IncidentState.ACTIVE)
    if state not in IncidentState.values:
        state = IncidentState.ACTIVE
    return render(
        request,
        "desk/incidents/list.html",
        {"incidents": queries.incidents_for_agent(user, state=state)[:100], "state": state},
    )


@login_required
@require_GET
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, _agent = agent_user(request)
    incident = access.get_incident_for_agent(user, pk)
    return _detail(request, user, incident, UpdateForm(), UpdateForm(prefix="resolve"))


def _detail(
    request: HttpRequest,
    user: User,
    incident: Incident,
    update: UpdateForm,
    resolve: UpdateForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "desk/incidents/detail.html",
        {
            "incident": incident,
            "children": queries.children_of(incident),
            "updates": incident.updates.select_related("author")[:50],
            "companies": incident.organizations.order_by("name"),
            "can_work": access.can_work(user, incident),
            "update_form": update,
            "resolve_form": resolve,
        },
        status=status,
    )


@login_required
@require_POST
def incident_update(request: HttpRequest, pk: int) -> HttpResponse:
    """A public update to everyone the incident gathers."""
    return _speak(request, pk, resolves=False)


@login_required
@require_POST
def incident_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Resolve the incident and every ticket it gathers, with the note."""
    return _speak(request, pk, resolves=True)


def _speak(request: HttpRequest, pk: int, *, resolves: bool) -> HttpResponse:
    user, _agent = agent_user(request)
    incident = access.get_incident_for_agent(user, pk)
    if not access.can_work(user, incident):
        raise Http404
    form = UpdateForm(request.POST, prefix="resolve" if resolves else None)
    if form.is_valid():
        act = actions.resolve_incident if resolves else actions.post_update
        try:
            update = act(user, incident, text=form.cleaned_data["text"])
        except DomainError as error:
            form.add_error("text", str(error))
        else:
            done = (
                _("Resolved: %(count)s tickets heard it.")
                if resolves
                else _("Update sent to %(count)s tickets.")
            )
            messages.success(request, done % {"count": update.reached})
            return redirect("desk:incident", pk=incident.pk)
    blank = UpdateForm(prefix=None if resolves else "resolve")
    update_form, resolve_form = (blank, form) if resolves else (form, blank)
    return _detail(request, user, incident, update_form, resolve_form, status=400)


@login_required
@require_POST
def incident_detach(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    user, _agent = agent_user(request)
    incident = access.get_incident_for_agent(user, pk)
    ticket = get_ticket_for_agent(user, number)
    if not incident.children.filter(ticket=ticket).exists():
        raise Http404
    try:
        actions.detach_ticket(user, incident, ticket)
    except DomainError as error:
        _fail(request, error)
    else:
        messages.success(
            request, _("Ticket #%(number)s is no longer part of the incident.") % {"number": number}
        )
    return redirect("desk:incident", pk=incident.pk)
