"""Changes to the monthly reviews' sending, and the sending itself."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from atiende.accounts.models import Contact, Organization, User
from atiende.errors import InvalidValue, NotAllowed
from atiende.outbox.outbox import Recipient, enqueue_each
from atiende.reviews import figures, schedule
from atiende.reviews.models import ReviewSending, SentReview, month_start, previous_month
from atiende.tickets import access


def company_wide_contacts(organization: Organization) -> list[Contact]:
    """The contacts who may read the company's review: those who see all its tickets."""
    contacts = Contact.objects.filter(memberships__organization=organization, user__is_active=True)
    if not organization.contacts_see_all_tickets:
        contacts = contacts.filter(memberships__sees_company_tickets=True)
    return list(contacts.select_related("user").distinct().order_by("user__email"))


def sending_of(organization: Organization) -> ReviewSending:
    found = ReviewSending.objects.filter(organization=organization).first()
    return found or ReviewSending(organization=organization)


def change_review_sending(
    actor: User, organization: Organization, *, enabled: bool, contacts: Sequence[Contact]
) -> ReviewSending:
    """Turn the company's monthly email on or off and choose who receives it. Only the
    company's company-wide contacts may receive it; turning it on needs at least one."""
    agent = access.active_agent(actor)
    if agent is None or not agent.sees_all_queues:
        raise NotAllowed(_("Only supervisors and administrators change the monthly review."))
    allowed = {contact.pk for contact in company_wide_contacts(organization)}
    if any(contact.pk not in allowed for contact in contacts):
        raise InvalidValue(
            "contacts", _("Only contacts who see all of the company's tickets may receive its review.")
        )
    if enabled and not contacts:
        raise InvalidValue("contacts", _("Choose at least one contact to send the review to."))
    with transaction.atomic():
        sending, _created = ReviewSending.objects.select_for_update().get_or_create(organization=organization)
        sending.enabled = enabled
        sending.changed_by = agent
        sending.changed_at = timezone.now()
        sending.save()
        sending.contacts.set(contacts)
    return sending


def review_link(organization: Organization, period: datetime.date) -> str:
    path = reverse("portal:review", args=[f"{period:%Y-%m}"])
    return f"{settings.ATIENDE_BASE_URL}{path}?company={organization.pk}"


def email_context(organization: Organization, period: datetime.date) -> dict[str, object]:
    """What the email says: the month's headline figures and the portal link."""
    return {
        "organization": organization,
        "period": period,
        "figures": figures.month_figures(organization, period),
        "link": review_link(organization, period),
    }


def send_review(organization: Organization, period: datetime.date) -> SentReview | None:
    """Queue the month's review to the company's chosen contacts, with the PDF attached
    (made when each email is sent) and the portal link. The `SentReview` row is claimed
    first, in the same transaction: a month already sent sends nothing (None)."""
    period = month_start(period)
    sending = ReviewSending.objects.filter(organization=organization, enabled=True).first()
    if sending is None:
        return None
    allowed = {contact.pk for contact in company_wide_contacts(organization)}
    people = [
        contact
        for contact in sending.contacts.select_related("user").order_by("user__email")
        if contact.pk in allowed
    ]
    with transaction.atomic():
        sent, created = SentReview.objects.get_or_create(
            organization=organization,
            period=period,
            defaults={"sent_at": timezone.now(), "recipients": len(people)},
        )
        if not created:
            return None
        by_language: dict[str, list[tuple[Recipient, str | None]]] = {}
        for contact in people:
            language = contact.user.language or settings.LANGUAGE_CODE
            by_language.setdefault(language, []).append(
                (
                    Recipient(contact.user.email, language),
                    f"review:{organization.pk}:{period:%Y-%m}:{contact.user.pk}",
                )
            )
        for language, recipients in sorted(by_language.items()):
            enqueue_each(
                "monthly_review",
                recipients,
                email_context(organization, period),
                kind="monthly_review",
                attachments=[
                    {
                        "filename": f"revision-mensual-{organization.pk}-{period:%Y-%m}.pdf",
                        "content_type": "application/pdf",
                        "source": "atiende.reviews.documents.review_pdf_for_email",
                        "argument": [sent.pk, language],
                    }
                ],
            )
    return sent


def send_due_reviews(today: datetime.date | None = None) -> list[SentReview]:
    """On the provider's first working day of a month (or within the grace days after
    it), the previous month's review of every company that has it enabled, once."""
    today = today or timezone.localdate()
    if not schedule.is_sending_day(today):
        return []
    period = previous_month(today)
    sent = []
    for sending in ReviewSending.objects.filter(enabled=True, organization__is_active=True).select_related(
        "organization"
    ):
        done = send_review(sending.organization, period)
        if done is not None:
            sent.append(done)
    return sent
