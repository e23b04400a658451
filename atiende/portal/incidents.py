"""The portal's side of a major incident: "me afecta" on the banner and on *Nuevo Ticket*."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atiende.incidents import access, actions
from atiende.portal.company import current_organization
from atiende.portal.views import _contact_user
from atiende.tickets.exceptions import DomainError

MAX_TEXT = 2000


@login_required
@require_POST
def incident_affects_me(request: HttpRequest, pk: int) -> HttpResponse:
    """The contact says the known incident affects them: they get their own ticket under
    it (where its updates will reach them) instead of opening a duplicate."""
    user = _contact_user(request)
    organization = current_organization(request, user)
    incident = access.get_incident_for_contact(user, organization, pk)
    try:
        ticket = actions.report_affected(
            user, incident, organization=organization, text=request.POST.get("text", "")[:MAX_TEXT]
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("portal:ticket-new")
    messages.success(
        request,
        _("Noted: the incident affects you too. We will post every update in ticket #%(number)s.")
        % {"number": ticket.number},
    )
    return redirect("portal:ticket-detail", number=ticket.number)
