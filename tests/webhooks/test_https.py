"""An https receiver reached at the address that was checked, with its certificate checked
against the URL's own name: a real TLS server on loopback with a certificate from a test
authority, and a resolver that would answer differently the second time."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme

from atiende.webhooks.models import DeliveryStatus, EventType
from tests.factories import open_ticket
from tests.helpers import free_port
from tests.webhooks.conftest import Receiver, _handler, queued

NAME = "hooks.cliente.test"


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_bundle(authority: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return str(path)


def _tls_receiver(authority: trustme.CA, *names: str) -> tuple[Receiver, ThreadingHTTPServer, list[str]]:
    found = Receiver(free_port())
    server = ThreadingHTTPServer(("127.0.0.1", found.port), _handler(found))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert(*names).configure_cert(context)
    server_names: list[str] = []
    context.sni_callback = lambda _socket, name, _context: server_names.append(name)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    return found, server, server_names


@pytest.fixture
def serve() -> Iterator[object]:
    servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def start(server: ThreadingHTTPServer) -> None:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """`hooks.cliente.test` is 127.0.0.1 the first time it is looked up, and a documentation
    address leading nowhere after that (the rebinding a second lookup would fall for)."""
    asked: list[str] = []
    real_getaddrinfo = socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        if host != NAME:
            return real_getaddrinfo(host, port, *args, **kwargs)
        asked.append(host)
        address = "127.0.0.1" if len(asked) == 1 else "192.0.2.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    return asked


def _subscribe(world, settings, receiver: Receiver, *, ca_bundle: str = ""):
    from atiende.webhooks.models import WebhookSubscription

    settings.ATIENDE_WEBHOOKS_ALLOW_PRIVATE = True
    settings.ATIENDE_WEBHOOKS_CA_BUNDLE = ca_bundle
    subscription = WebhookSubscription.objects.create(
        name="Intranet",
        url=f"https://{NAME}:{receiver.port}/hooks",
        event_types=[EventType.TICKET_CREATED],
        created_by=world.admin.user,
    )
    receiver.secret = subscription.secret
    return subscription


def test_an_https_delivery_goes_to_the_checked_address_and_checks_the_name(
    world, settings, authority, ca_bundle, serve, lookups, django_capture_on_commit_callbacks
):
    receiver, server, server_names = _tls_receiver(authority, NAME)
    serve(server)
    _subscribe(world, settings, receiver, ca_bundle=ca_bundle)

    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)

    (request,) = receiver.requests
    assert isinstance(request.verified, dict) and request.verified["type"] == EventType.TICKET_CREATED
    assert request.headers["host"] == f"{NAME}:{receiver.port}"
    assert server_names == [NAME]  # the name went in the TLS handshake, not the address
    assert lookups == [NAME]  # looked up once: the connection used the checked address
    (delivery,) = queued()
    assert delivery.status == DeliveryStatus.SENT


def test_a_certificate_for_another_name_is_a_failed_attempt(
    world, settings, authority, ca_bundle, serve, lookups, django_capture_on_commit_callbacks
):
    receiver, server, _names = _tls_receiver(authority, "otro.cliente.test")
    serve(server)
    _subscribe(world, settings, receiver, ca_bundle=ca_bundle)

    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)

    assert receiver.requests == []
    (delivery,) = queued()
    assert delivery.status == DeliveryStatus.PENDING  # retried later, never sent unchecked
    assert "certificate" in delivery.last_error.lower()


def test_an_authority_nobody_trusts_is_a_failed_attempt(
    world, settings, authority, serve, lookups, django_capture_on_commit_callbacks
):
    receiver, server, _names = _tls_receiver(authority, NAME)
    serve(server)
    _subscribe(world, settings, receiver)  # the test authority is not in the bundle

    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)

    assert receiver.requests == []
    (delivery,) = queued()
    assert delivery.status == DeliveryStatus.PENDING
    assert "certificate" in delivery.last_error.lower()
