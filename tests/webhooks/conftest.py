"""A real HTTP receiver on loopback that checks every webhook's signature with the
`standardwebhooks` verifier, as an integrator's receiver would."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from atiende.webhooks.models import EventType, WebhookDelivery, WebhookSubscription
from tests.helpers import free_port
from tests.sla.conftest import clock, colombia, policy  # noqa: F401 (for the SLA events)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: Any  # the parsed payload, or the verification error


@dataclass
class Receiver:
    port: int
    secret: str = ""
    requests: list[Received] = field(default_factory=list)
    answers: deque[int] = field(default_factory=deque)  # statuses to answer first
    status: int = 204  # then this one

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def events(self) -> list[str]:
        return [request.verified["type"] for request in self.requests if isinstance(request.verified, dict)]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            headers = {name.lower(): value for name, value in self.headers.items()}
            try:
                verified: Any = Webhook(receiver.secret).verify(body, headers)
            except WebhookVerificationError as error:
                verified = error
            receiver.requests.append(Received(self.path, headers, body, verified))
            status = receiver.answers.popleft() if receiver.answers else receiver.status
            self.send_response(status)
            if status in {301, 302, 307, 308}:
                self.send_header("location", "http://169.254.169.254/latest/meta-data/")
            reply = b"receiver says %d" % status
            self.send_header("content-length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver(free_port())
    server = ThreadingHTTPServer(("127.0.0.1", found.port), _handler(found))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def allow_private(settings) -> None:
    settings.ATIENDE_WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def subscribe(world, receiver, allow_private):
    """A subscription of the receiver to the given events (all of them by default)."""

    def make(*types: str, url: str = "") -> WebhookSubscription:
        subscription = WebhookSubscription.objects.create(
            name="Intranet",
            url=url or receiver.url,
            event_types=list(types or EventType.values),
            created_by=world.admin.user,
        )
        receiver.secret = subscription.secret
        return subscription

    return make


def queued(event_type: str | None = None) -> list[WebhookDelivery]:
    found = WebhookDelivery.objects.order_by("pk")
    return list(found.filter(event_type=event_type) if event_type else found)
