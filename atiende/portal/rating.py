"""The rating page a resolved ticket's link opens, signed in or not. Opening it (a GET,
which is all a mail scanner does) only shows the choice; sending it (a POST) rates."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from atiende.errors import DomainError
from atiende.satisfaction import actions, links, queries
from atiende.satisfaction.models import COMMENT_MAX_LENGTH, FACES, Score
from atiende.tickets.models import Channel, Ticket


class RatingForm(forms.Form):
    score = forms.ChoiceField(
        label=_("How satisfied are you with the solution?"),
        choices=[(score, Score(score).label) for score in (Score.BAD, Score.NEUTRAL, Score.GOOD)],
        error_messages={
            "required": _("Choose one of the three faces."),
            "invalid_choice": _("Choose one of the three faces."),
        },
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What went well, or what we could do better."),
    )


def _refused(request: HttpRequest, reason: str, status: int, ticket: Ticket | None = None) -> HttpResponse:
    context = {"reason": reason, "ticket": ticket, "rating": queries.rating_of(ticket) if ticket else None}
    return render(request, "portal/rating_refused.html", context, status=status)


def _faces(form: RatingForm) -> list[tuple[str, str, str, bool]]:
    chosen = form["score"].value() or ""
    return [
        (score, FACES[score], str(label), chosen == score)
        for score, label in form.fields["score"].choices  # type: ignore[attr-defined]
    ]


@never_cache
@require_http_methods(["GET", "POST"])
def rating(request: HttpRequest, token: str) -> HttpResponse:
    try:
        grant = links.read(token)
    except links.ExpiredLink:
        return _refused(request, str(_("This rating link has expired.")), 410)
    except links.BadLink:
        return _refused(
            request,
            str(_("This rating link is not valid. Use the link in the latest email about your ticket.")),
            404,
        )
    ticket = queries.ticket_for_link(grant)
    if ticket is None:
        return _refused(
            request,
            str(_("This rating link is not valid. Use the link in the latest email about your ticket.")),
            404,
        )
    requester = ticket.requester.user
    with translation.override(requester.language or settings.LANGUAGE_CODE):
        return _rating_page(request, token, ticket, grant)


def _rating_page(request: HttpRequest, token: str, ticket: Ticket, grant: links.Grant) -> HttpResponse:
    reason = actions.refusal(ticket, grant.resolved_at)
    if reason is not None:
        return _refused(request, reason, 410, ticket)
    current = queries.rating_of(ticket)
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                actions.rate_ticket(
                    ticket.requester.user,
                    ticket,
                    score=form.cleaned_data["score"],
                    # The ticket page's one-click faces send no comment: keep the one given.
                    comment=form.cleaned_data["comment"]
                    if "comment" in request.POST
                    else (current.comment if current else ""),
                    resolution=grant.resolved_at,
                    channel=Channel.WEB,
                )
            except actions.RatingClosed as error:
                return _refused(request, error.message, 410, ticket)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return redirect(request.path + "?saved=1")
    else:
        initial = {"score": current.score if current else "", "comment": current.comment if current else ""}
        if request.GET.get("face") in Score.values:
            initial["score"] = request.GET["face"]
        form = RatingForm(initial=initial)
    context = {
        "ticket": ticket,
        "form": form,
        "faces": _faces(form),
        "rating": current,
        "saved": request.GET.get("saved") == "1" and current is not None,
        "open_until": current.changeable_until() if current else None,
        "token": token,
    }
    return render(request, "portal/rating.html", context, status=400 if form.errors else 200)
