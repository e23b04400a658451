"""`contact.created`, queued by `accounts.invitations` in the transaction that creates
the contact (accounts may call webhooks as it calls the outbox: neither imports ticket code)."""

from __future__ import annotations

from typing import Any

from atiende.accounts.models import Contact
from atiende.webhooks.models import EventType
from atiende.webhooks.queue import queue


def contact_data(contact: Contact) -> dict[str, Any]:
    user = contact.user
    return {
        "id": contact.pk,
        "name": user.full_name,
        "email": user.email,
        "phone": contact.phone,
        "extension": contact.extension,
        "area": contact.area,
        "companies": [
            {
                "id": membership.organization_id,
                "name": membership.organization.name,
                "primary": membership.is_primary,
            }
            for membership in contact.memberships.select_related("organization").order_by("pk")
        ],
    }


def contact_created(contact: Contact) -> None:
    queue(EventType.CONTACT_CREATED, lambda: {"contact": contact_data(contact)})
