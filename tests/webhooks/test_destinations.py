"""No server-side request forgery: internal destinations are refused when a subscription
is saved and again when each delivery is sent, and a delivery connects to the address it
checked."""

import socket

import pytest

from atiende.webhooks import destinations
from atiende.webhooks.admin import SubscriptionForm
from atiende.webhooks.models import DeliveryStatus, EventType, WebhookSubscription
from tests.factories import open_ticket
from tests.webhooks.conftest import queued

INTERNAL = [
    "http://127.0.0.1/hooks",
    "http://127.1/hooks",
    "http://10.0.0.5/hooks",
    "http://192.168.1.10:8080/hooks",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hooks",
    "http://[::ffff:127.0.0.1]/hooks",
    "http://[fd00::1]/hooks",
    "http://0.0.0.0/hooks",
    "http://localhost:8000/hooks",
    "http://224.0.0.1/hooks",
]
MALFORMED = [
    "http://user@example.com/hooks",
    "https://user:secret@example.com/hooks",
    "ftp://example.com/hooks",
    "file:///etc/passwd",
    "gopher://example.com/",
    "http:///hooks",
]


def form(url: str) -> SubscriptionForm:
    return SubscriptionForm(
        {"name": "Intranet", "url": url, "event_types": [EventType.TICKET_CREATED], "is_active": "on"}
    )


@pytest.mark.parametrize("url", INTERNAL + MALFORMED)
def test_an_internal_or_malformed_destination_is_refused_when_saved(db, url):
    subscription_form = form(url)
    assert not subscription_form.is_valid()
    assert subscription_form.errors["url"]
    with pytest.raises(destinations.RefusedDestination):
        destinations.check(url)


def test_the_refusal_says_why(db):
    subscription_form = form("http://169.254.169.254/latest/meta-data/")
    assert not subscription_form.is_valid()
    (error,) = subscription_form.errors["url"]
    assert "169.254.169.254" in error


@pytest.mark.parametrize("url", MALFORMED)
def test_malformed_destinations_stay_refused_even_when_private_ones_are_allowed(db, allow_private, url):
    with pytest.raises(destinations.RefusedDestination):
        destinations.check(url)


def test_a_public_address_is_accepted(db):
    checked = destinations.check("https://8.8.8.8:8443/hooks")
    assert (checked.host, checked.address) == ("8.8.8.8", "8.8.8.8")
    assert form("https://8.8.8.8:8443/hooks").is_valid()


def test_a_name_is_refused_when_any_of_its_addresses_is_internal(db, monkeypatch):
    def resolver(host, port, *args, **kwargs):
        addresses = ["8.8.8.8", "10.1.2.3"]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with pytest.raises(destinations.RefusedDestination, match=r"10\.1\.2\.3"):
        destinations.check("https://hooks.example.com/in")


def test_a_saved_destination_that_now_resolves_inside_is_refused_when_sent(
    world, receiver, subscribe, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """DNS rebinding: the name was public when saved and points at us when sent."""
    subscribe(EventType.TICKET_CREATED, url=f"http://hooks.example.com:{receiver.port}/hooks")
    settings.ATIENDE_WEBHOOKS_ALLOW_PRIVATE = False

    def rebound(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebound)
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)

    (delivery,) = queued()
    assert receiver.requests == []
    assert "127.0.0.1" in delivery.last_error
    assert delivery.status == DeliveryStatus.PENDING  # retried, and refused each time


def test_a_delivery_connects_to_the_address_it_checked(
    world, receiver, subscribe, monkeypatch, django_capture_on_commit_callbacks
):
    """The name is resolved once, checked, and the connection goes to that address with
    the name in the Host header: a second lookup that could answer differently never happens."""
    subscribe(EventType.TICKET_CREATED, url=f"http://hooks.example.com:{receiver.port}/hooks")
    lookups: list[str] = []
    real_getaddrinfo = socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        if host != "hooks.example.com":
            return real_getaddrinfo(host, port, *args, **kwargs)  # the connection to the address itself
        lookups.append(host)
        address = "127.0.0.1" if len(lookups) == 1 else "192.0.2.1"  # a second answer leads nowhere
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)

    (request,) = receiver.requests
    assert request.headers["host"] == f"hooks.example.com:{receiver.port}"
    assert isinstance(request.verified, dict)
    assert lookups == ["hooks.example.com"]


def test_a_subscription_saved_while_private_was_allowed_is_refused_when_sent(
    world, receiver, subscribe, settings, django_capture_on_commit_callbacks
):
    subscribe(EventType.TICKET_CREATED)  # the receiver on 127.0.0.1
    settings.ATIENDE_WEBHOOKS_ALLOW_PRIVATE = False
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)
    assert receiver.requests == []
    assert WebhookSubscription.objects.get().deliveries.get().response_code is None
