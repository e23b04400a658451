"""The portal's own forms; the ticket fields shared with the desk live in tickets.forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import Contact, Organization, User
from atiende.tickets import routing, urgency
from atiende.tickets.access import organizations_of
from atiende.tickets.forms import NewTicketForm, ServiceChoiceField, TicketFieldsMixin
from atiende.tickets.models import Priority, Ticket
from atiende.ui.renderers import quick
from atiende.ui.uploads import MultipleFileField, attachments_help, uploads_from

__all__ = [
    "CompanyChoiceForm",
    "EditTicketForm",
    "MultipleFileField",
    "NewTicketForm",
    "PortalTicketForm",
    "ReplyForm",
    "ServiceChoiceField",
    "attachments_help",
    "uploads_from",
]


class PortalTicketForm(NewTicketForm):
    """*Nuevo Ticket* as a contact sees it: with the manual's *Urgencia*, and *Para* listing
    only the queues offered to the company — none at all when a routing rule decides."""

    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Starting the subject with 1_, 2_ or 3_ does the same, as in email."),
    )

    def __init__(self, *args: Any, requester: Contact, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rule = routing.rule_for(self.organization, requester)
        # The queue a rule sends the request to, named only when clients may see it.
        self.routed_to = rule.queue if rule is not None and rule.queue.offered_to_clients else None
        self.routed = rule is not None
        if self.routed:
            del self.fields["queue"]
        else:
            self.fields["queue"].queryset = routing.queues_offered_to(self.organization)  # type: ignore[attr-defined]
        levels = {p.covey for p in Priority.objects.filter(covey__in=urgency.COVEY_LABELS) if p.covey}
        self.fields["urgency"].choices = [  # type: ignore[attr-defined]
            ("", _("— As the subject says —")),
            *((level, urgency.COVEY_LABELS[level]) for level in sorted(levels)),
        ]
        self.order_fields(["type", "queue", "service", "urgency", "category", "location", "subject", "text"])

    def chosen_priority(self) -> Priority | None:
        return urgency.priority_for(self.cleaned_data.get("urgency"))


class EditTicketForm(TicketFieldsMixin, forms.Form):
    """*Modificar*: what the requester may correct on an open ticket."""

    subject = forms.CharField(label=_("Subject"), max_length=250)

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_ticket_fields(ticket.organization)
        if not self.is_bound:
            self.initial.update(
                subject=ticket.subject, type=ticket.type, category=ticket.category, location=ticket.location
            )
        self.order_fields(["subject", "type", "category", "location"])


class ReplyForm(forms.Form):
    default_renderer = quick  # the inputs written in Python, the same markup
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()


class CompanyChoiceForm(forms.Form):
    """For contacts of several companies: whose tickets they are working with."""

    company = forms.ModelChoiceField(Organization.objects.none(), label=_("Company"), empty_label=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.companies = organizations_of(user)
        self.fields["company"].queryset = self.companies  # type: ignore[attr-defined]

    @property
    def has_choice(self) -> bool:
        return self.companies.count() > 1
