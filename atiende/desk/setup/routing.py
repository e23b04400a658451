"""*Reglas de enrutamiento*: which queue a company's or a domain's tickets go to, and which
queues contacts are offered in *Para*."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atiende.desk.setup.common import setup_user
from atiende.desk.setup.forms import QueueOfferForm, RoutingRuleForm
from atiende.errors import DomainError
from atiende.tickets.actions import routing as actions
from atiende.tickets.forms import add_domain_error
from atiende.tickets.models import Queue, RoutingRule


def _page(request: HttpRequest, form: RoutingRuleForm, status: int = 200) -> HttpResponse:
    queues = Queue.objects.select_related("organization").order_by("-is_active", "name")
    return render(
        request,
        "desk/setup/routing.html",
        {
            "form": form,
            "rules": RoutingRule.objects.select_related("organization", "queue"),
            "queues": [
                (
                    queue,
                    QueueOfferForm(
                        prefix=f"q{queue.pk}",
                        initial={
                            "offered_to_clients": queue.offered_to_clients,
                            "organization": queue.organization_id,
                        },
                    ),
                )
                for queue in queues
            ],
        },
        status=status,
    )


@login_required
def routing(request: HttpRequest) -> HttpResponse:
    user = setup_user(request)
    form = RoutingRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule = actions.add_routing_rule(
                user,
                queue=form.cleaned_data["queue"],
                organization=form.cleaned_data["organization"],
                email_domain=form.cleaned_data["email_domain"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved: %(rule)s.") % {"rule": rule})
            return redirect("desk:setup-routing")
    return _page(request, form, status=400 if form.is_bound else 200)


@login_required
@require_POST
def routing_rule_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = setup_user(request)
    rule = get_object_or_404(RoutingRule, pk=pk)
    actions.remove_routing_rule(user, rule)
    messages.success(request, _("The rule was removed: new tickets go where their channel sends them."))
    return redirect("desk:setup-routing")


@login_required
@require_POST
def queue_offer(request: HttpRequest, pk: int) -> HttpResponse:
    user = setup_user(request)
    queue = get_object_or_404(Queue, pk=pk)
    form = QueueOfferForm(request.POST, prefix=f"q{queue.pk}")
    if form.is_valid():
        actions.offer_queue(
            user,
            queue,
            to_clients=form.cleaned_data["offered_to_clients"],
            organization=form.cleaned_data["organization"],
        )
        messages.success(request, _("The queue %(queue)s was saved.") % {"queue": queue.name})
    else:
        messages.error(request, _("Choose one of the listed companies."))
    return redirect("desk:setup-routing")
