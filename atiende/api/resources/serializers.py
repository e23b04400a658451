"""What the API shows of tickets, their messages, files, time and service levels, and what
it accepts to change them. Serializers only read and validate: every write goes to an
action (`tickets.actions`), which the views call with `channel=Channel.API`.

Output serializers declare fields as not read-only so that the schema can say which are
optional: the expanded parts (`?expand=`) and what only agents see."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from atiende.accounts.models import Agent, Contact, Location, Organization
from atiende.tickets.models import (
    Attachment,
    Category,
    Channel,
    Contract,
    LinkKind,
    Message,
    MessageKind,
    Priority,
    Queue,
    Service,
    Status,
    Ticket,
    TicketType,
)

LINK_KINDS = ", ".join(LinkKind.values)
EXPANDABLE = ("requester", "company", "messages")


def expansions(raw: str | None) -> frozenset[str]:
    """The parts named in `?expand=`, unknown ones ignored."""
    return frozenset(part.strip() for part in (raw or "").split(",")) & frozenset(EXPANDABLE)


# --- references ------------------------------------------------------------------------


class NamedRef(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class StatusRef(NamedRef):
    kind = serializers.CharField(help_text=_("new, open, pending, resolved or closed"))

    def to_representation(self, instance: Status) -> dict[str, Any]:
        # Contacts read the portal's wording of a stage (e.g. *Esperando su respuesta*).
        contact_view = self.context.get("contact_view", False)
        return {
            "id": instance.pk,
            "name": instance.portal_name if contact_view else instance.name,
            "kind": instance.kind,
        }


class PriorityRef(NamedRef):
    level = serializers.IntegerField()


class QueueRef(NamedRef):
    slug = serializers.CharField()


class AgentRef(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="user.full_name")


class ContactRef(serializers.Serializer[Any]):
    """The requester: id and name; with `?expand=requester`, how to reach them."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="user.full_name")
    email = serializers.EmailField(source="user.email", required=False)
    phone = serializers.CharField(required=False)
    extension = serializers.CharField(required=False)
    area = serializers.CharField(required=False)


class CompanyRef(serializers.Serializer[Any]):
    """The company: id and name; the rest with `?expand=company`."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    tax_id = serializers.CharField(required=False)
    email_domains = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    address = serializers.CharField(required=False)


# --- files and messages -----------------------------------------------------------------


class AttachmentOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text=_("Bytes."))
    created_at = serializers.DateTimeField()
    content_url = serializers.SerializerMethodField()

    def get_content_url(self, attachment: Attachment) -> str:
        return reverse("api:attachment-content", args=[attachment.pk])


class AttachmentDetailOut(AttachmentOut):
    ticket = serializers.IntegerField(source="ticket.number", help_text=_("The ticket's number."))
    message = serializers.IntegerField(source="message_id")


class MessageOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=MessageKind.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    author = serializers.SerializerMethodField()
    text = serializers.CharField(source="body_text")
    html = serializers.CharField(source="body_html")
    created_at = serializers.DateTimeField()
    held = serializers.BooleanField(
        source="is_held",
        help_text=_("An unverified email reply waiting for an engineer (agents only see these)."),
    )
    attachments = AttachmentOut(many=True)

    def get_author(self, message: Message) -> str | None:
        return message.author.full_name if message.author else None


# --- tickets ---------------------------------------------------------------------------


class TicketOut(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    subject = serializers.CharField()
    status = StatusRef()
    priority = PriorityRef()
    type = NamedRef()
    category = NamedRef(allow_null=True)
    queue = QueueRef()
    company = CompanyRef(source="organization")
    location = NamedRef(allow_null=True)
    service = NamedRef(allow_null=True)
    contract = serializers.IntegerField(source="contract_id", allow_null=True)
    requester = ContactRef()
    assignee = AgentRef(allow_null=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    tags = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    last_activity_at = serializers.DateTimeField()
    first_response_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    messages = MessageOut(
        many=True, source="api_messages", required=False, help_text=_("With `?expand=messages`.")
    )

    def get_tags(self, ticket: Ticket) -> list[str]:
        return sorted(tag.name for tag in ticket.tags.all())

    def to_representation(self, instance: Ticket) -> dict[str, Any]:
        """The fields above, written out directly: DRF's field-by-field walk cost more than
        the database on a 50-row list. `tests/api/test_representation.py` holds it equal to
        that walk (`declared_representation`) on every shape of ticket."""
        ticket = instance
        expand: frozenset[str] = self.context.get("expand", frozenset())
        contact_view = self.context.get("contact_view", False)
        when = _DATETIME.to_representation
        requester, company, assignee = ticket.requester, ticket.organization, ticket.assignee
        status, priority, queue = ticket.status, ticket.priority, ticket.queue
        data: dict[str, Any] = {
            "number": ticket.number,
            "subject": ticket.subject,
            "status": {
                "id": status.pk,
                "name": str(status.portal_name if contact_view else status.name),
                "kind": status.kind,
            },
            "priority": {"id": priority.pk, "name": str(priority.name), "level": priority.level},
            "type": _named(ticket.type),
            "category": _named(ticket.category),
            "queue": {"id": queue.pk, "name": str(queue.name), "slug": queue.slug},
            "company": {"id": company.pk, "name": str(company.name)},
            "location": _named(ticket.location),
            "service": _named(ticket.service),
            "contract": ticket.contract_id,
            "requester": {"id": requester.pk, "name": str(requester.user.full_name)},
            "assignee": None
            if assignee is None
            else {"id": assignee.pk, "name": str(assignee.user.full_name)},
            "channel": ticket.channel,
            "tags": self.get_tags(ticket),
            "created_at": when(ticket.created_at),
            "updated_at": when(ticket.updated_at),
            "last_activity_at": when(ticket.last_activity_at),
            "first_response_at": when(ticket.first_response_at) if ticket.first_response_at else None,
            "resolved_at": when(ticket.resolved_at) if ticket.resolved_at else None,
            "closed_at": when(ticket.closed_at) if ticket.closed_at else None,
        }
        if "requester" in expand:
            data["requester"].update(
                email=requester.user.email,
                phone=requester.phone,
                extension=requester.extension,
                area=requester.area,
            )
        if "company" in expand:
            data["company"].update(
                tax_id=company.tax_id,
                email_domains=company.email_domains,
                phone=company.phone,
                address=company.address,
            )
        if hasattr(ticket, "api_messages"):
            data["messages"] = self.fields["messages"].to_representation(ticket.api_messages)
        return data

    def declared_representation(self, instance: Ticket) -> dict[str, Any]:
        """DRF's own walk over the declared fields, narrowed as `to_representation` does:
        the reference its fast path is tested against."""
        data: dict[str, Any] = super().to_representation(instance)
        expand: frozenset[str] = self.context.get("expand", frozenset())
        for part in ("requester", "company"):
            if part not in expand:
                data[part] = {"id": data[part]["id"], "name": data[part]["name"]}
        return data


_DATETIME = serializers.DateTimeField()


def _named(thing: Any) -> dict[str, Any] | None:
    return None if thing is None else {"id": thing.pk, "name": str(thing.name)}


class TicketCreate(serializers.Serializer[Any]):
    """A new ticket. Contacts file for themselves (requester and company default to them);
    agents name the requester (phone or WhatsApp intake on a contact's behalf)."""

    subject = serializers.CharField(max_length=250)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    html = serializers.CharField(required=False, allow_blank=True, default="")
    queue = serializers.PrimaryKeyRelatedField(
        queryset=Queue.objects.all(),
        required=False,
        help_text=_(
            "Contacts: one of the queues offered to their company. May be left out when a routing "
            "rule decides the company's queue (a rule always wins)."
        ),
    )
    requester = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.select_related("user"), required=False, help_text=_("Agents: the contact.")
    )
    company = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        help_text=_("The requester's company; their primary one when left out."),
    )
    type = serializers.PrimaryKeyRelatedField(queryset=TicketType.objects.all(), required=False)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, allow_null=True
    )
    location = serializers.PrimaryKeyRelatedField(
        queryset=Location.objects.all(), required=False, allow_null=True
    )
    priority = serializers.PrimaryKeyRelatedField(queryset=Priority.objects.all(), required=False)
    service = serializers.PrimaryKeyRelatedField(
        queryset=Service.objects.all(), required=False, allow_null=True
    )
    contract = serializers.PrimaryKeyRelatedField(
        queryset=Contract.objects.all(), required=False, allow_null=True
    )
    continues = serializers.IntegerField(
        required=False, min_value=1, help_text=_("The number of a closed ticket this one follows up.")
    )
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class TicketChange(serializers.Serializer[Any]):
    """The fields to change; those left out stay as they are. Contacts may change subject,
    type, category and location of tickets they requested."""

    subject = serializers.CharField(max_length=250, required=False)
    status = serializers.PrimaryKeyRelatedField(queryset=Status.objects.all(), required=False)
    priority = serializers.PrimaryKeyRelatedField(queryset=Priority.objects.all(), required=False)
    queue = serializers.PrimaryKeyRelatedField(queryset=Queue.objects.all(), required=False)
    type = serializers.PrimaryKeyRelatedField(queryset=TicketType.objects.all(), required=False)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, allow_null=True
    )
    location = serializers.PrimaryKeyRelatedField(
        queryset=Location.objects.all(), required=False, allow_null=True
    )
    service = serializers.PrimaryKeyRelatedField(
        queryset=Service.objects.all(), required=False, allow_null=True
    )
    contract = serializers.PrimaryKeyRelatedField(
        queryset=Contract.objects.all(), required=False, allow_null=True
    )
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=Agent.objects.all(), required=False, allow_null=True
    )
    tags = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    cc = serializers.ListField(child=serializers.EmailField(), required=False, max_length=20)


class MessageCreate(serializers.Serializer[Any]):
    text = serializers.CharField(required=False, allow_blank=True, default="")
    html = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("Sanitized."))
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class LinkCreate(serializers.Serializer[Any]):
    target = serializers.IntegerField(min_value=1, help_text=_("The other ticket's number."))
    kind = serializers.CharField(default=LinkKind.RELATED, help_text=LINK_KINDS)

    def validate_kind(self, value: str) -> LinkKind:
        if value not in LinkKind.values:
            raise serializers.ValidationError(
                _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(LinkKind.values)}
            )
        return LinkKind(value)


class LinkOut(serializers.Serializer[Any]):
    source = serializers.IntegerField(source="source.number")  # type: ignore[assignment]
    target = serializers.IntegerField(source="target.number")
    kind = serializers.CharField(help_text=LINK_KINDS)


class MergeCreate(serializers.Serializer[Any]):
    into = serializers.IntegerField(min_value=1, help_text=_("The number of the ticket that stays."))


class TimeEntryCreate(serializers.Serializer[Any]):
    minutes = serializers.IntegerField(min_value=1)
    billable = serializers.BooleanField(default=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    work_date = serializers.DateField(required=False)


class TimeEntryOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    minutes = serializers.IntegerField()
    billable = serializers.BooleanField()
    note = serializers.CharField()
    work_date = serializers.DateField()
    agent = serializers.CharField(source="agent.full_name")
    created_at = serializers.DateTimeField()


class SlaTargetOut(serializers.Serializer[Any]):
    target = serializers.CharField(help_text=_("first_response or resolution"))
    label = serializers.CharField()  # type: ignore[assignment]
    minutes = serializers.IntegerField(help_text=_("The target, in business minutes."))
    state = serializers.CharField(help_text=_("on_time, at_risk or breached"))
    due_at = serializers.DateTimeField(allow_null=True)
    met_at = serializers.DateTimeField(allow_null=True)
    elapsed = serializers.IntegerField(allow_null=True, help_text=_("Business minutes it took, once met."))
    minutes_left = serializers.IntegerField(
        allow_null=True, help_text=_("Business minutes to the deadline (negative: overdue); null once met.")
    )
    paused = serializers.BooleanField()


class SlaOut(serializers.Serializer[Any]):
    state = serializers.CharField(help_text=_("on_time, at_risk or breached: the worst of the targets"))
    paused = serializers.BooleanField(help_text=_("Waiting on the customer or resolved: no clock runs."))
    policy = serializers.CharField(allow_null=True)
    targets = SlaTargetOut(many=True)
