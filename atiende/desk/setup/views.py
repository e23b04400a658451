"""*Configuración*: the set-up checklist."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from atiende.desk.setup.checklist import first_steps
from atiende.desk.setup.common import setup_user


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    setup_user(request)
    steps = first_steps()
    return render(
        request,
        "desk/setup/overview.html",
        {"steps": steps, "done": sum(step.done for step in steps), "total": len(steps)},
    )
