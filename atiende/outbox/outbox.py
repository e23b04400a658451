"""Queue an email inside the caller's transaction; send it after commit."""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from atiende.jobs import dispatch
from atiende.outbox.headers import (
    AUTO_GENERATED,
    AUTO_REPLIED,
    fixed_headers,
    safe_headers,
    threading_headers,
)
from atiende.outbox.message_ids import new_message_id
from atiende.outbox.models import EmailStatus, OutboundEmail
from atiende.outbox.reply_tokens import reply_address

logger = logging.getLogger("atiende.outbox")
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str


def deliverable(address: str) -> bool:
    """Addresses in the reserved `.invalid` domain stand for people without email (callers
    known by phone, integrations): nothing is ever queued for them."""
    return not address.strip().lower().rstrip(">").endswith(".invalid")


def enqueue(
    template: str,
    recipient: Recipient,
    context: dict[str, object],
    *,
    kind: str = "",
    dedupe_key: str | None = None,
    ticket_number: int | None = None,
    headers: dict[str, str] | None = None,
    auto_submitted: str | None = AUTO_GENERATED,
    reply_to: str = "",
    render_later: bool = False,
) -> OutboundEmail | None:
    """Render `emails/<template>-subject.txt`, `-body.txt` and `-body.html` in the
    recipient's language and queue the result. Returns None when `dedupe_key` was queued
    before (a notice is never queued twice).

    Every email gets Reply-To (`reply_to`, else the support address), the loop header,
    `X-Auto-Response-Suppress` and `Auto-Submitted` (`auto_submitted`; None for mail a person
    wrote). An email about a ticket is also threaded (In-Reply-To, References) when it is
    first sent, and its subject starts with "Re: " when it follows earlier mail of the
    ticket to the same recipient or answers an inbound message (`AUTO_REPLIED`). `headers`
    add to or override all of these."""
    queued = enqueue_each(
        template,
        [(recipient, dedupe_key)],
        context,
        kind=kind,
        ticket_number=ticket_number,
        headers=headers,
        auto_submitted=auto_submitted,
        reply_to=reply_to,
        render_later=render_later,
    )
    return queued[0] if queued else None


@dataclass(frozen=True)
class _Rendered:
    subject: str
    text: str
    html: str


def enqueue_each(
    template: str,
    recipients: Sequence[tuple[Recipient, str | None]],
    context: dict[str, object],
    *,
    kind: str = "",
    ticket_number: int | None = None,
    headers: dict[str, str] | None = None,
    auto_submitted: str | None = AUTO_GENERATED,
    reply_to: str = "",
    attachments: Sequence[dict[str, object]] = (),
    render_later: bool = False,
) -> list[OutboundEmail]:
    """`enqueue` for one notice to several recipients, each with its dedupe key: rendered
    once per language, the ticket's earlier mail read once and the emails inserted together
    (a queue's engineers all hear of each new ticket). Returns the emails queued; those
    whose key was queued before are left out. `attachments` name files made when the email
    is sent (see `_attachment_files`), so the row stays small.

    `render_later` queues the notice unrendered when its context is only rows and plain
    values (`_references`): the worker that sends it renders it (`render_queued`), from
    the rows as they stand then, so a busy channel (mail ingestion) spends no time on
    templates."""
    wanted = [(recipient, key) for recipient, key in recipients if deliverable(recipient.email)]
    if not wanted:
        return []
    fixed = {**fixed_headers(reply_to=reply_to, auto_submitted=auto_submitted), **(headers or {})}
    references = _references(context) if render_later else None
    if references is not None:
        unrendered = [
            _email(
                template,
                recipient,
                key,
                fixed,
                kind=kind,
                ticket_number=ticket_number,
                attachments=attachments,
                render={
                    "template": template,
                    "language": recipient.language,
                    "context": references,
                    "replied": auto_submitted == AUTO_REPLIED,
                },
            )
            for recipient, key in wanted
        ]
        return _insert(unrendered)
    rendered: dict[str, _Rendered] = {}
    for language in {recipient.language for recipient, _key in wanted}:
        with translation.override(language):
            rendered[language] = _Rendered(
                " ".join(render_to_string(f"emails/{template}-subject.txt", context).split()),
                render_to_string(f"emails/{template}-body.txt", context),
                render_to_string(f"emails/{template}-body.html", context),
            )
    written_to = _written_to(ticket_number) if ticket_number is not None else set()
    emails = []
    for recipient, key in wanted:
        content = rendered[recipient.language]
        follows_up = ticket_number is not None and (
            auto_submitted == AUTO_REPLIED or recipient.email.lower() in written_to
        )
        email = _email(
            template, recipient, key, fixed, kind=kind, ticket_number=ticket_number, attachments=attachments
        )
        email.subject = _subject(content.subject, follows_up=follows_up)
        email.body_text, email.body_html = content.text, content.html
        emails.append(email)
    return _insert(emails)


def _email(
    template: str,
    recipient: Recipient,
    key: str | None,
    fixed: dict[str, str],
    *,
    kind: str,
    ticket_number: int | None,
    attachments: Sequence[dict[str, object]],
    render: dict[str, Any] | None = None,
) -> OutboundEmail:
    own_headers = dict(fixed)
    if ticket_number is not None:  # a reply proves who wrote it (reply_tokens)
        own_headers["Reply-To"] = reply_address(fixed["Reply-To"], ticket_number, recipient.email)
    return OutboundEmail(
        kind=kind or template,
        dedupe_key=key,
        message_id=new_message_id(ticket_number, recipient.email),
        to=[recipient.email],
        headers=own_headers,
        ticket_number=ticket_number,
        attachments=list(attachments),
        render=render or {},
    )


def _subject(rendered: str, *, follows_up: bool) -> str:
    """ "Re: " when the email follows earlier mail of the ticket to the same recipient or
    answers an inbound message."""
    if follows_up and not rendered.lower().startswith("re:"):
        rendered = f"Re: {rendered}"
    return rendered[:300]


def _insert(emails: list[OutboundEmail]) -> list[OutboundEmail]:
    try:
        with transaction.atomic():
            created = OutboundEmail.objects.bulk_create(emails)
    except IntegrityError:
        # One of these keys was queued before (the same change run twice, or another
        # worker a moment ago): one by one, skipping those.
        created = [email for email in emails if _insert_unless_queued(email)]
    ids = [email.pk for email in created]
    if ids:
        transaction.on_commit(lambda: dispatch.deliver_outbox(ids))
    return created


def _insert_unless_queued(email: OutboundEmail) -> bool:
    try:
        with transaction.atomic():
            email.save(force_insert=True)
    except IntegrityError:
        if email.dedupe_key and OutboundEmail.objects.filter(dedupe_key=email.dedupe_key).exists():
            email.pk = None
            return False
        raise
    return True


def _written_to(ticket_number: int, before: int | None = None) -> set[str]:
    """Who the ticket's most recent emails (queued `before` the one named) went to,
    lower-cased."""
    earlier = OutboundEmail.objects.filter(ticket_number=ticket_number)
    if before is not None:
        earlier = earlier.filter(pk__lt=before)
    addresses = earlier.order_by("-pk").values_list("to", flat=True)
    return {address.lower() for to in addresses[:200] for address in to}


def _references(context: dict[str, object]) -> dict[str, object] | None:
    """The context as rows (by model and id) and plain values, or None when it holds
    anything else (then the email is rendered at once)."""
    references: dict[str, object] = {}
    for name, value in context.items():
        if isinstance(value, Model) and value.pk is not None:
            references[name] = {"model": value._meta.label, "pk": value.pk}
        elif value is None or isinstance(value, str | int | float | bool):
            references[name] = value
        else:
            return None
    return references


def render_queued(email: OutboundEmail) -> None:
    """Render an email queued unrendered (see `enqueue_each`) and keep the result on its
    row, so every retry sends the same words."""
    spec = email.render
    if not spec:
        return
    context = {
        name: apps.get_model(str(value["model"]))._default_manager.get(pk=value["pk"])
        if isinstance(value, dict)
        else value
        for name, value in spec["context"].items()
    }
    template = spec["template"]
    with translation.override(spec["language"]):
        subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
        email.body_text = render_to_string(f"emails/{template}-body.txt", context)
        email.body_html = render_to_string(f"emails/{template}-body.html", context)
    follows_up = email.ticket_number is not None and (
        spec.get("replied", False)
        or any(address.lower() in _written_to(email.ticket_number, before=email.pk) for address in email.to)
    )
    email.subject = _subject(subject, follows_up=follows_up)
    email.render = {}
    email.save(update_fields=["subject", "body_text", "body_html", "render"])


def send_again(emails: Iterable[OutboundEmail]) -> int:
    """An administrator's "send again now": failed or waiting emails become due now and
    are sent at once, with the same Message-ID and headers. Returns how many were sent."""
    ids = [email.pk for email in emails if email.status != EmailStatus.SENT]
    OutboundEmail.objects.filter(pk__in=ids).update(
        status=EmailStatus.PENDING, next_attempt_at=timezone.now()
    )
    return deliver_ids(ids)


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
    """Send one email now; on failure keep it with the server's answer and retry later
    (after 2, 4, 8… minutes), up to MAX_ATTEMPTS; an address the server refuses for good
    (5xx) is not retried. Returns 1 when sent."""
    try:
        render_queued(email)
    except Exception as error:  # a row it names is gone, a template broke: keep and retry
        email.attempts += 1
        return _failed(email, error)
    if email.ticket_number is not None and "References" not in email.headers:
        # Threaded once, when first sent (after the change that queued it committed, so
        # the Message-ID of an inbound message stored in that change is known); kept on
        # the row so every retry carries the same headers.
        email.headers = {**threading_headers(email), **email.headers}
        email.save(update_fields=["headers"])
    message = EmailMultiAlternatives(
        subject=" ".join(email.subject.split()),
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        headers=safe_headers({"Message-ID": email.message_id, **email.headers}),
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    email.attempts += 1
    try:
        for filename, content, content_type in _attachment_files(email):
            message.attach(filename, content, content_type)
        message.send()
    except Exception as error:  # any transport failure: keep it and retry later
        return _failed(email, error)
    email.status = EmailStatus.SENT
    email.sent_at = timezone.now()
    email.last_error = ""
    email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return 1


def _failed(email: OutboundEmail, error: Exception) -> int:
    email.last_error = describe_failure(error)[:2000]
    if email.attempts >= MAX_ATTEMPTS or _refused_for_good(error) or _unsendable(error):
        email.status = EmailStatus.FAILED
    email.next_attempt_at = timezone.now() + retry_delay(email.attempts)
    email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    logger.warning("outbox.failed id=%s attempt=%s error=%s", email.pk, email.attempts, email.last_error)
    return 0


def _attachment_files(email: OutboundEmail) -> list[tuple[str, bytes, str]]:
    """Each attachment is made at sending time by the function its entry names (a dotted
    path given by the code that queued it, never by input) called with its argument."""
    files = []
    for entry in email.attachments:
        make = import_string(str(entry["source"]))
        files.append((str(entry["filename"]), make(entry["argument"]), str(entry["content_type"])))
    return files


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the given number of failed attempts: 2, 4, 8… minutes."""
    return datetime.timedelta(minutes=2**attempts)


def describe_failure(error: Exception) -> str:
    """The mail server's answer when there is one ("550 5.1.1 <x@y>: no such user"),
    else the error's type and text."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {_text(answer)} ({address})" for address, (code, answer) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return f"{type(error).__name__}: {error}"


def _text(answer: bytes | str) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)


def _unsendable(error: Exception) -> bool:
    """The message itself cannot be written (a header Python refuses, an address that is
    not one): the same email would fail the same way on every retry."""
    return isinstance(error, (ValueError, TypeError, UnicodeError)) and not isinstance(
        error, smtplib.SMTPException
    )


def _refused_for_good(error: Exception) -> bool:
    """Every recipient refused with a permanent (5xx) answer: retrying cannot help. Other
    5xx answers (authentication, sender) are usually our configuration: keep retrying so
    mail goes out once it is fixed."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _answer in error.recipients.values()
    )
