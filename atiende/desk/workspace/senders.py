"""An engineer accepts an email held because nothing proved who sent it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atiende.desk.common import agent_user, get_ticket_for_agent
from atiende.desk.workspace.views import back_to
from atiende.tickets import actions
from atiende.tickets.exceptions import DomainError
from atiende.tickets.models import Channel, Message


@login_required
@require_POST
def message_accept(request: HttpRequest, number: int, pk: int) -> HttpResponse:
    """*Aceptar*: the held message joins the conversation (notices, stage, service level)."""
    user, _agent = agent_user(request)
    ticket = get_ticket_for_agent(user, number)
    message = Message.objects.filter(ticket=ticket, pk=pk).first()
    if message is None:
        raise Http404
    try:
        actions.accept_message(user, message, channel=Channel.WEB)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Message accepted: it is now part of the conversation."))
    return back_to(ticket, f"m{message.pk}")
