"""Requesting one URL as one person without leaving a trace: each request runs in a
savepoint that is rolled back, with the client's cookies put back afterwards, so a POST
that changes something (or signs out) never changes what the next request finds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import Client

from atiende.accounts.models import User
from tests.security.conftest import SecurityWorld
from tests.security.urls import Pattern, path_for

ROLES = (
    "anonymous",
    "requester",
    "company_contact",
    "other_contact",
    "queue_agent",
    "other_agent",
    "supervisor",
    "admin",
    "superuser",
)
METHODS = ("get", "post")


class _Rollback(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def request_and_undo(client: Client, method: str, path: str) -> HttpResponse:
    cookies = SimpleCookie(client.cookies)
    cache.clear()  # rate-limit counters and presence
    try:
        with transaction.atomic():
            response: HttpResponse = getattr(client, method)(path)
            raise _Rollback(response)
    except _Rollback as done:
        return done.response
    finally:
        client.cookies = cookies


@dataclass(frozen=True)
class Outcome:
    key: str
    method: str
    target: str
    role: str
    path: str
    status: int | str


def observe(
    client: Client,
    sw: SecurityWorld,
    role: str,
    patterns: list[Pattern],
    targets: dict[str, list[str]],
    on_page: Callable[[Outcome, HttpResponse], None] | None = None,
    methods: tuple[str, ...] = METHODS,
) -> list[Outcome]:
    """Request every pattern with both methods as `role`, for each of the pattern's targets;
    `on_page` gets each 200 HTML answer."""
    outcomes = []
    current: User | None = None
    for pattern in patterns:
        for target in targets[pattern.key]:
            user = sw.user(target, role)
            if user != current:
                client.logout()
                if user is not None:
                    client.force_login(user)
                current = user
            path = path_for(pattern, sw, target)
            for method in methods:
                page = None
                try:
                    response = request_and_undo(client, method, path)
                    status: int | str = response.status_code
                    if status == 200 and response.get("Content-Type", "").startswith("text/html"):
                        page = response
                except Exception as error:  # an error page is an outcome to report, not a crash
                    status = f"error {type(error).__name__}: {error}"[:160]
                outcome = Outcome(pattern.key, method, target, role, path, status)
                outcomes.append(outcome)
                if page is not None and on_page is not None:
                    on_page(outcome, page)
    return outcomes
