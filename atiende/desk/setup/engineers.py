"""Engineers are invited, never given a password someone typed."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from atiende.accounts.models import Agent
from atiende.desk.setup.common import setup_user
from atiende.desk.setup.forms import EngineerForm
from atiende.errors import DomainError
from atiende.tickets.actions.team import invite_engineer
from atiende.tickets.forms import add_domain_error


@login_required
def engineer_invite(request: HttpRequest) -> HttpResponse:
    user = setup_user(request)
    form = EngineerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agent = invite_engineer(user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was invited: the email to choose a password is on its way to %(email)s.")
                % {"name": agent.user.get_full_name(), "email": agent.user.email},
            )
            return redirect("desk:setup-engineer-invite")
    team = (
        Agent.objects.filter(is_integration=False)
        .select_related("user")
        .prefetch_related("queues")
        .order_by("user__full_name")
    )
    return render(
        request,
        "desk/setup/engineers.html",
        {"form": form, "team": team, "two_step": settings.ATIENDE_AGENTS_REQUIRE_2FA},
    )
