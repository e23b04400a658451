"""Delivery through a real SMTP conversation: a temporary refusal is retried with backoff,
a recipient refused for good is not, and the server's answer is kept for admins."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser

import pytest
from django.utils import timezone

from atiende.outbox.models import EmailStatus, OutboundEmail
from atiende.outbox.outbox import MAX_ATTEMPTS, deliver_due, retry_delay, send_again
from tests.factories import open_ticket
from tests.outbox.smtp_server import Script, smtp_server


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
def smtp(settings, script: Script) -> Iterator[Script]:
    with smtp_server(script) as port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        yield script


def confirmation() -> OutboundEmail:
    return OutboundEmail.objects.get(kind="ticket_opened")


def make_due() -> None:
    OutboundEmail.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))


def test_a_temporary_refusal_is_retried_with_backoff_and_the_same_message(
    world, smtp, django_capture_on_commit_callbacks
):
    smtp.data = "451 4.3.0 Mail server temporarily rejected message"
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)

    email = confirmation()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert email.last_error == "451 4.3.0 Mail server temporarily rejected message"
    waited = email.next_attempt_at - timezone.now()
    assert datetime.timedelta(minutes=1, seconds=50) < waited <= datetime.timedelta(minutes=2)

    make_due()
    deliver_due()
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.next_attempt_at - timezone.now() > datetime.timedelta(minutes=3, seconds=50)

    smtp.data = "250 2.0.0 Ok: queued"
    make_due()
    deliver_due()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 3, "")
    received = [BytesParser(policy=policy.default).parsebytes(raw) for raw in smtp.received]
    (arrived,) = [m for m in received if "luis@acme.test" in str(m["To"])]
    assert str(arrived["Message-ID"]).strip() == email.message_id


def test_a_recipient_refused_for_good_is_not_retried(world, smtp, django_capture_on_commit_callbacks):
    smtp.rcpt = "550 5.1.1 <luis@acme.test>: Recipient address rejected: User unknown"
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)

    email = confirmation()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 1)
    assert email.last_error == (
        "550 5.1.1 <luis@acme.test>: Recipient address rejected: User unknown (luis@acme.test)"
    )


def test_a_temporarily_refused_recipient_is_retried(world, smtp, django_capture_on_commit_callbacks):
    smtp.rcpt = "450 4.2.0 <luis@acme.test>: Recipient address rejected: Greylisted"
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)

    email = confirmation()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert email.last_error.startswith("450 4.2.0")


def test_after_the_last_attempt_it_stops_and_an_admin_can_send_it_again(
    world, smtp, django_capture_on_commit_callbacks
):
    smtp.data = "451 4.3.0 Try again later"
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)
    for _ in range(MAX_ATTEMPTS):
        make_due()
        deliver_due()
    email = confirmation()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, MAX_ATTEMPTS)
    make_due()
    assert deliver_due() == 0  # failed mail is not picked up again on its own

    smtp.data = "250 2.0.0 Ok: queued"
    assert send_again([email]) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, MAX_ATTEMPTS + 1)


def test_the_backoff_doubles_from_two_minutes():
    assert [retry_delay(n).total_seconds() / 60 for n in range(1, MAX_ATTEMPTS + 1)] == [
        2,
        4,
        8,
        16,
        32,
        64,
        128,
        256,
    ]
