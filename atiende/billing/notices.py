"""Billing's emails, queued in the outbox inside the change's transaction: an issued
statement to the company's billing contacts (with the PDF attached), and the hour bank
alerts to them and to the provider's account manager."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse

from atiende.billing.models import BillingProfile, Statement
from atiende.outbox.outbox import Recipient, enqueue_each

if TYPE_CHECKING:
    from atiende.billing.banks import BankBalance


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


def bank_alert(balance: BankBalance, threshold: int) -> None:
    """The bank reached `threshold` % this month: the account manager and the company's
    billing contacts hear it (once per contract, month and threshold; see banks.py)."""
    contract = balance.contract
    profile = BillingProfile.objects.filter(organization=contract.organization_id).first()
    if profile is None:
        return
    key = f"bank:{contract.pk}:{balance.period:%Y-%m}:{threshold}"
    context: dict[str, object] = {
        "balance": balance,
        "threshold": threshold,
        "organization": contract.organization,
        "label": contract.reference or contract.service.name,
    }
    manager = profile.account_manager
    if manager is not None and manager.user.is_active:
        user = manager.user
        enqueue_each(
            "billing_bank_alert",
            [(Recipient(user.email, user.language or settings.LANGUAGE_CODE), f"{key}:{user.pk}")],
            {**context, "link": settings.ATIENDE_BASE_URL + reverse("billing:contract", args=[contract.pk])},
            kind="billing_bank_alert",
        )
    contacts = [
        (Recipient(c.user.email, c.user.language or settings.LANGUAGE_CODE), f"{key}:{c.user.pk}")
        for c in profile.contacts.filter(user__is_active=True).select_related("user")
    ]
    enqueue_each(
        "billing_bank_alert",
        contacts,
        {**context, "link": settings.ATIENDE_BASE_URL + reverse("billing-portal:services")},
        kind="billing_bank_alert",
    )
