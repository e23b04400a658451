"""The admin: subscriptions with a write-only secret shown once, a delivery log, a test
event and "deliver again"."""

from django.contrib import messages
from django.urls import reverse

from atiende.webhooks.models import DeliveryStatus, EventType, WebhookSubscription
from tests.factories import open_ticket
from tests.webhooks.conftest import queued

SUBSCRIPTIONS = reverse("admin:webhooks_webhooksubscription_changelist")
ADD = reverse("admin:webhooks_webhooksubscription_add")
DELIVERIES = reverse("admin:webhooks_webhookdelivery_changelist")


def test_a_new_subscription_shows_its_secret_once(world, admin_client, receiver, allow_private):
    page = admin_client.post(
        ADD,
        {
            "name": "Intranet",
            "url": receiver.url,
            "event_types": [EventType.TICKET_CREATED],
            "is_active": "on",
        },
        follow=True,
    )

    subscription = WebhookSubscription.objects.get()
    assert subscription.secret.startswith("whsec_")
    assert subscription.secret in page.content.decode()  # once, on creation
    change = admin_client.get(reverse("admin:webhooks_webhooksubscription_change", args=[subscription.pk]))
    assert change.status_code == 200
    assert subscription.secret not in change.content.decode()  # never again
    assert subscription.secret[6:20] not in change.content.decode()


def test_the_admin_refuses_an_internal_destination(world, admin_client):
    page = admin_client.post(
        ADD,
        {
            "name": "Metadatos",
            "url": "http://169.254.169.254/latest/meta-data/",
            "event_types": [EventType.TICKET_CREATED],
            "is_active": "on",
        },
    )
    assert page.status_code == 200
    assert "169.254.169.254" in page.context["adminform"].form.errors["url"][0]
    assert not WebhookSubscription.objects.exists()


def test_send_a_test_event_from_the_admin(world, admin_client, subscribe, receiver):
    subscription = subscribe(EventType.TICKET_CLOSED)
    page = admin_client.post(
        SUBSCRIPTIONS, {"action": "send_test_event", "_selected_action": [subscription.pk]}, follow=True
    )
    assert receiver.events() == ["webhook.test"]
    assert [m.level for m in page.context["messages"]] == [messages.SUCCESS]


def test_the_delivery_log_shows_the_request_and_the_answer_and_delivers_again(
    world, admin_client, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(EventType.TICKET_CREATED)
    receiver.answers.append(500)
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)
    (delivery,) = queued()

    log = admin_client.get(reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk]))
    text = log.content.decode()
    assert delivery.webhook_id in text
    assert "receiver says 500" in text
    assert "webhook-signature" in text
    assert admin_client.get(DELIVERIES).status_code == 200

    page = admin_client.post(
        DELIVERIES, {"action": "deliver_again_now", "_selected_action": [delivery.pk]}, follow=True
    )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert [request.headers["webhook-id"] for request in receiver.requests] == [delivery.webhook_id] * 2
    assert [m.level for m in page.context["messages"]] == [messages.SUCCESS]


def test_turning_a_subscription_back_on_starts_its_count_afresh(world, admin_client, subscribe, receiver):
    subscription = subscribe(EventType.TICKET_CREATED)
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        is_active=False, failure_count=5, disabled_at=subscription.created_at
    )
    admin_client.post(
        reverse("admin:webhooks_webhooksubscription_change", args=[subscription.pk]),
        {
            "name": "Intranet",
            "url": receiver.url,
            "event_types": [EventType.TICKET_CREATED],
            "is_active": "on",
        },
    )
    subscription.refresh_from_db()
    assert (subscription.is_active, subscription.failure_count, subscription.disabled_at) == (True, 0, None)
    assert subscription.secret == receiver.secret  # an empty secret field keeps the secret


def test_a_secret_of_ones_own_replaces_the_old_one(world, admin_client, subscribe, receiver):
    subscription = subscribe(EventType.TICKET_CREATED)
    own = "whsec_" + "c2VjcmV0by1wcm9waW8tZGUtbGEtaW50cmFuZXQ="
    admin_client.post(
        reverse("admin:webhooks_webhooksubscription_change", args=[subscription.pk]),
        {
            "name": "Intranet",
            "url": receiver.url,
            "event_types": [EventType.TICKET_CREATED],
            "is_active": "on",
            "new_secret": own,
        },
    )
    subscription.refresh_from_db()
    assert subscription.secret == own
