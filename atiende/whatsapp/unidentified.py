"""*Sin identificar*: messages from numbers no contact has, held until an agent says who
wrote them. Agents see the held messages of the numbers that serve their queues
(supervisors and admins, all of them)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Min, QuerySet
from django.utils.translation import gettext as _

from atiende.accounts.models import Contact, User
from atiende.tickets import access
from atiende.tickets.exceptions import NotAllowed
from atiende.whatsapp import content, inbound
from atiende.whatsapp.models import InboundMessage, InboundState, WhatsAppNumber


@dataclass(frozen=True)
class HeldNumber:
    phone: str
    profile_name: str
    count: int
    first_at: object
    last_at: object


def numbers_for(user: User) -> QuerySet[WhatsAppNumber]:
    agent = access.active_agent(user)
    if agent is None:
        return WhatsAppNumber.objects.none()
    if agent.sees_all_queues:
        return WhatsAppNumber.objects.all()
    return WhatsAppNumber.objects.filter(queue__agents=agent)


def held_for(user: User) -> QuerySet[InboundMessage]:
    return InboundMessage.objects.filter(state=InboundState.HELD, number__in=numbers_for(user))


def held_numbers_for(user: User, limit: int = 200) -> list[HeldNumber]:
    """One row per unknown number, the most recent first (two queries however many)."""
    rows = list(
        held_for(user)
        .values("phone")
        .annotate(count=Count("pk"), first_at=Min("sent_at"), last_at=Max("sent_at"))
        .order_by("-last_at")[:limit]
    )
    names = dict(
        held_for(user)
        .filter(phone__in=[row["phone"] for row in rows])
        .exclude(profile_name="")
        .values_list("phone", "profile_name")
    )
    return [
        HeldNumber(row["phone"], names.get(row["phone"], ""), row["count"], row["first_at"], row["last_at"])
        for row in rows
    ]


def held_messages(user: User, phone: str) -> list[tuple[InboundMessage, str]]:
    records = held_for(user).filter(phone=phone).select_related("number").order_by("sent_at", "pk")[:500]
    return [(record, content.preview(record.kind, record.payload)) for record in records]


def identify(actor: User, phone: str, contact: Contact) -> list[int]:
    """The agent says `contact` writes from `phone`: the held messages (of the numbers the
    agent serves) go to the contact's tickets, and the number becomes the contact's
    WhatsApp when they have none. Returns the ticket numbers."""
    if not held_for(actor).filter(phone=phone).exists():
        raise NotAllowed(_("There are no messages waiting from this number."))
    # As in phone intake, an agent may register requests for any active contact.
    if not contact.user.is_active or not contact.memberships.filter(organization__is_active=True).exists():
        raise NotAllowed(_("This contact is deactivated or belongs to no active company."))
    return inbound.release_held(phone, contact, numbers_for(actor))
