"""Delivery: signed, retried with the same webhook-id and growing delays for a day, then
failed; a subscription failing again and again is turned off and the admins told."""

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from atiende.outbox.models import OutboundEmail
from atiende.webhooks import tasks
from atiende.webhooks.delivery import deliver_again, retry_delay, send_test
from atiende.webhooks.models import DeliveryStatus, EventType, WebhookDelivery
from tests.factories import open_ticket
from tests.webhooks.conftest import queued


def test_a_tampered_body_fails_verification(world, subscribe, receiver, django_capture_on_commit_callbacks):
    subscribe(EventType.TICKET_CREATED)
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)
    (request,) = receiver.requests
    assert isinstance(request.verified, dict)

    tampered = request.body.replace(b"luis@acme.test", b"mallory@evil.test")
    assert tampered != request.body
    with pytest.raises(WebhookVerificationError):
        Webhook(receiver.secret).verify(tampered, request.headers)
    with pytest.raises(WebhookVerificationError):  # another subscriber's secret proves nothing
        Webhook("whsec_" + "A" * 43).verify(request.body, request.headers)


def test_a_failing_receiver_gets_the_same_event_again_later(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(EventType.TICKET_CREATED)
    receiver.answers.extend([500, 503])
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)

    (delivery,) = queued()
    assert delivery.status == DeliveryStatus.PENDING
    assert (delivery.attempts, delivery.response_code) == (1, 500)
    assert delivery.response_body == "receiver says 500"
    assert delivery.last_attempt_at
    assert delivery.next_attempt_at - delivery.last_attempt_at == dt.timedelta(minutes=1)

    assert tasks.deliver_due() == 0  # not due yet: nothing is sent
    assert len(receiver.requests) == 1

    with time_machine.travel(delivery.next_attempt_at + dt.timedelta(seconds=1)):
        assert tasks.deliver_due() == 0  # 503
    delivery.refresh_from_db()
    assert delivery.last_attempt_at
    assert delivery.next_attempt_at - delivery.last_attempt_at == dt.timedelta(minutes=2)
    with time_machine.travel(delivery.next_attempt_at + dt.timedelta(seconds=1)):
        assert tasks.deliver_due() == 1

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 3
    ids = {request.headers["webhook-id"] for request in receiver.requests}
    assert ids == {delivery.webhook_id}
    timestamps = [int(request.headers["webhook-timestamp"]) for request in receiver.requests]
    assert timestamps == sorted(timestamps) and len(set(timestamps)) == 3  # each attempt signed afresh
    assert all(isinstance(request.verified, dict) for request in receiver.requests)


def test_the_delays_double_from_one_minute():
    assert [retry_delay(n).total_seconds() / 60 for n in range(1, 6)] == [1, 2, 4, 8, 16]


def test_a_redirect_is_a_failure_and_is_not_followed(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(EventType.TICKET_CREATED)
    receiver.answers.append(302)
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)
    (delivery,) = queued()
    assert delivery.response_code == 302
    assert delivery.status == DeliveryStatus.PENDING
    assert len(receiver.requests) == 1


def fail_for_a_day(receiver, delivery: WebhookDelivery) -> None:
    """Answer 500 to every attempt until the delivery gives up."""
    receiver.status = 500
    while delivery.status == DeliveryStatus.PENDING:
        with time_machine.travel(delivery.next_attempt_at + dt.timedelta(seconds=1)):
            tasks.deliver_due()
        delivery.refresh_from_db()


def test_a_delivery_gives_up_after_a_day(world, subscribe, receiver, django_capture_on_commit_callbacks):
    subscription = subscribe(EventType.TICKET_CREATED)
    receiver.answers.append(500)
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)
    (delivery,) = queued()

    fail_for_a_day(receiver, delivery)

    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_attempt_at
    assert delivery.last_attempt_at - delivery.created_at <= dt.timedelta(days=1)
    assert delivery.attempts == 11  # 1 + 2 + … + 512 minutes: the next would pass a day
    subscription.refresh_from_db()
    assert subscription.failure_count == 1
    assert subscription.is_active


def test_repeated_failures_turn_the_subscription_off_and_tell_the_admins(
    world, subscribe, receiver, settings, django_capture_on_commit_callbacks
):
    settings.ATIENDE_WEBHOOKS_DISABLE_AFTER = 2
    subscription = subscribe(EventType.TICKET_CREATED)
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)
    (first,) = queued()
    fail_for_a_day(receiver, first)
    subscription.refresh_from_db()
    assert subscription.is_active
    assert subscription.failure_count == 1
    assert not OutboundEmail.objects.filter(kind="webhook_disabled").exists()

    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.ana, world.soporte)
        open_ticket(world.carla, world.soporte, subject="Esperará su turno")
    _, second, third = queued()
    third.created_at += dt.timedelta(hours=2)  # queued later: still retrying when the second gives up
    third.save()
    fail_for_a_day(receiver, second)
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert subscription.disabled_at is not None
    third.refresh_from_db()
    assert third.status == DeliveryStatus.FAILED  # nothing more goes to a turned-off receiver
    (email,) = OutboundEmail.objects.filter(kind="webhook_disabled")
    assert email.to == ["admin@atiende.test"]
    assert "Intranet" in email.subject
    assert f"/admin/webhooks/webhooksubscription/{subscription.pk}/" in email.body_text

    sent = len(receiver.requests)
    open_ticket(world.luis, world.soporte)
    assert len(queued()) == 3  # a turned-off subscription queues nothing new
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        tasks.deliver_due()
    assert len(receiver.requests) == sent


def test_a_success_resets_the_failures_in_a_row(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscription = subscribe(EventType.TICKET_CREATED)
    subscription.failure_count = 3
    subscription.save()
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)
    subscription.refresh_from_db()
    assert subscription.failure_count == 0


def test_deliver_again_sends_the_same_event_with_the_same_id(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(EventType.TICKET_CREATED)
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)
    (delivery,) = queued()

    assert deliver_again([delivery]) == 1

    first, again = receiver.requests
    assert first.body == again.body
    assert first.headers["webhook-id"] == again.headers["webhook-id"] == delivery.webhook_id
    delivery.refresh_from_db()
    assert delivery.attempts == 2


def test_a_test_event_is_sent_at_once(world, subscribe, receiver):
    subscription = subscribe(EventType.CONTACT_CREATED)
    delivery = send_test(subscription)
    assert delivery.status == DeliveryStatus.SENT
    assert receiver.events() == ["webhook.test"]
    assert json.loads(receiver.requests[0].body)["data"]["subscription"]["name"] == "Intranet"
