"""API fixtures over the shared world: a DRF client and tokens for the cast.

`token_for(user, scope="write", **kw)` (or `scopes=("read",)`) makes a personal token and returns its whole
secret (`atd_<prefix>_<secret>`); `api_client.bearer(secret)` (or `as_user(user)`) sets
the Authorization header for every following request. The ready tokens:
`agente_token`, `luis_token`, `carla_token`, `admin_token` (read and write),
`read_token` (agente, read only), `expired_token` and `revoked_token` (agente)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any, Protocol

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from atiende.accounts.models import User
from atiende.api import tokens
from atiende.api.models import ApiToken, Scope
from tests.browser.conftest import (  # noqa: F401 - fixtures for the browser tests here
    _reload_initial_data,
    browser,
    browser_log,
    page,
)
from tests.browser.conftest import pytest_runtest_call as _browser_runtest_call
from tests.conftest import World


class TokenFor(Protocol):
    def __call__(
        self,
        user: User,
        scope: str = ...,
        *,
        name: str = ...,
        expires_at: datetime | None = ...,
        scopes: Iterable[str] | None = ...,
    ) -> str: ...


class ApiTestClient(APIClient):
    def bearer(self, secret: str) -> ApiTestClient:
        self.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return self

    def anonymous(self) -> ApiTestClient:
        self.credentials()
        self.logout()
        return self


@pytest.fixture
def api_client() -> ApiTestClient:
    return ApiTestClient()


@pytest.fixture
def token_for(db: None) -> TokenFor:
    def make(
        user: User,
        scope: str = Scope.WRITE,
        *,
        name: str = "Pruebas",
        expires_at: datetime | None = None,
        scopes: Iterable[str] | None = None,
    ) -> str:
        if scopes is not None:  # ("read",) or ("read", "write"): write includes read
            scope = Scope.WRITE if Scope.WRITE in scopes else Scope.READ
        return tokens.create_token(user, name=name, scope=scope, expires_at=expires_at).secret

    return make


@pytest.fixture
def agente_token(world: World, token_for: TokenFor) -> str:
    return token_for(world.agente.user)


@pytest.fixture
def luis_token(world: World, token_for: TokenFor) -> str:
    return token_for(world.luis.user)


@pytest.fixture
def carla_token(world: World, token_for: TokenFor) -> str:
    return token_for(world.carla.user)


@pytest.fixture
def admin_token(world: World, token_for: TokenFor) -> str:
    return token_for(world.admin.user)


@pytest.fixture
def read_token(world: World, token_for: TokenFor) -> str:
    return token_for(world.agente.user, Scope.READ, name="Solo lectura")


@pytest.fixture
def expired_token(world: World, token_for: TokenFor) -> str:
    secret = token_for(world.agente.user, name="Vencido", expires_at=timezone.now() + timedelta(minutes=5))
    ApiToken.objects.filter(pk=token_of(secret).pk).update(expires_at=timezone.now() - timedelta(days=1))
    return secret


@pytest.fixture
def revoked_token(world: World, token_for: TokenFor) -> str:
    secret = token_for(world.agente.user, name="Revocado")
    tokens.revoke_token(world.agente.user, token_of(secret))
    return secret


def token_of(secret: str) -> ApiToken:
    parts = tokens.split_token(secret)
    assert parts is not None
    return ApiToken.objects.get(prefix=parts[0])


def problem_of(response: Any) -> dict[str, Any]:
    """The problem document of an error response, after checking it is one."""
    assert response["Content-Type"].startswith("application/problem+json"), response["Content-Type"]
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code
    return body


# --- the browser tests in this folder (the documentation pages) ---------------------------
#
# As in tests/security: the database is put back around each test marked `browser` or
# `server` (a live server empties it), and what the browser logged fails the test.


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the portal in Chromium against a live server")


def _live(item: pytest.Item) -> bool:
    return bool(item.get_closest_marker("browser") or item.get_closest_marker("server"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    if _live(item):
        _reload_initial_data(item.config)
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    try:
        return (yield)
    finally:
        if _live(item) and nextitem is not None:
            _reload_initial_data(item.config)


pytest_runtest_call = _browser_runtest_call
