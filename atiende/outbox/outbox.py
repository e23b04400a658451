"""Queue an email inside the caller's transaction; send it after commit."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from atiende.jobs import dispatch
from atiende.outbox.message_ids import new_message_id
from atiende.outbox.models import EmailStatus, OutboundEmail

logger = logging.getLogger("atiende.outbox")
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str


def enqueue(
    template: str,
    recipient: Recipient,
    context: dict[str, object],
    *,
    kind: str = "",
    dedupe_key: str | None = None,
    ticket_number: int | None = None,
    headers: dict[str, str] | None = None,
) -> OutboundEmail | None:
    """Render `emails/<template>-subject.txt`, `-body.txt` and `-body.html` in the
    recipient's language and queue the result. Returns None when `dedupe_key` was queued
    before (a notice is never queued twice)."""
    with translation.override(recipient.language):
        subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
        text = render_to_string(f"emails/{template}-body.txt", context)
        html = render_to_string(f"emails/{template}-body.html", context)
    try:
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                kind=kind or template,
                dedupe_key=dedupe_key,
                message_id=new_message_id(ticket_number),
                to=[recipient.email],
                subject=subject[:300],
                body_text=text,
                body_html=html,
                headers=headers or {},
                ticket_number=ticket_number,
            )
    except IntegrityError:
        if dedupe_key and OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    transaction.on_commit(lambda: dispatch.deliver_outbox([email.pk]))
    return email


def deliver_ids(ids: Sequence[int]) -> int:
    """Send these queued emails if still pending and due; returns how many were sent."""
    sent = 0
    for email in OutboundEmail.objects.filter(pk__in=ids, status=EmailStatus.PENDING):
        sent += deliver(email)
    return sent


def deliver_due(limit: int = 100) -> int:
    """Send what is pending and due (retries included); for the periodic job and the command."""
    due = OutboundEmail.objects.filter(status=EmailStatus.PENDING, next_attempt_at__lte=timezone.now())
    return deliver_ids(list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit]))


def deliver(email: OutboundEmail) -> int:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        headers={"Message-ID": email.message_id, "Auto-Submitted": "auto-generated", **email.headers},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    email.attempts += 1
    try:
        message.send()
    except Exception as error:  # any transport failure: keep it and retry later
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        if email.attempts >= MAX_ATTEMPTS:
            email.status = EmailStatus.FAILED
        email.next_attempt_at = timezone.now() + datetime.timedelta(minutes=2**email.attempts)
        email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        logger.warning("outbox.failed id=%s attempt=%s error=%s", email.pk, email.attempts, email.last_error)
        return 0
    email.status = EmailStatus.SENT
    email.sent_at = timezone.now()
    email.last_error = ""
    email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return 1
