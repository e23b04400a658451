"""Billing's emails, queued in the outbox inside the change's transaction: an issued
statement to the company's billing contacts (with the PDF attached)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from atiende.billing.models import BillingProfile, Statement
from atiende.outbox.outbox import Recipient, enqueue_each


def billing_recipients(statement: Statement) -> list[tuple[Recipient, str | None]]:
    profile = BillingProfile.objects.filter(organization=statement.organization_id).first()
    if profile is None:
        return []
    people = profile.contacts.filter(user__is_active=True).select_related("user")
    return [
        (
            Recipient(contact.user.email, contact.user.language or settings.LANGUAGE_CODE),
            f"statement:{statement.pk}:{contact.user.pk}",
        )
        for contact in people
    ]


def statement_issued(statement: Statement) -> None:
    recipients = billing_recipients(statement)
    if not recipients:
        return
    link = settings.ATIENDE_BASE_URL + reverse("billing-portal:statement", args=[statement.number])
    enqueue_each(
        "billing_statement",
        recipients,
        {"statement": statement, "organization": statement.organization, "link": link},
        kind="billing_statement",
        attachments=[
            {
                "filename": f"estado-de-cuenta-{statement.number}.pdf",
                "content_type": "application/pdf",
                "source": "atiende.billing.documents.statement_pdf_by_id",
                "argument": statement.pk,
            }
        ],
    )
