"""The URL × role matrix again, for the API, signed in by token instead of by session:
every API route, requested with GET and with an empty POST (rolled back, see
`request_and_undo`), must answer with `Authorization: Bearer <token>` exactly what
`EXPECTED` in test_url_matrix.py says the session gets, for each role and both companies'
objects. Then the other kinds of token against every route, as the agent of the ticket's
queue: read-only, expired, revoked, of a deactivated user, malformed, and an integration
user's service token; and a contact's token against the other company's objects.

Where a token differs from the session on purpose, the difference is written in
`TOKEN_DIFFERS` below; the check itself is never loosened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from atiende.accounts.models import User
from atiende.api import tokens
from atiende.api.models import ApiToken, Scope
from atiende.errors import NotAllowed
from tests.security.conftest import SecurityWorld
from tests.security.matrix import METHODS, ROLES, request_and_undo
from tests.security.test_url_matrix import EXPECTED, _expected
from tests.security.urls import Pattern, all_patterns, path_for, takes_objects

# Not checked here, because they do not take our tokens:
# - the schema and its documentation pages are public (the same for everyone, signed in or not);
# - the alert endpoints authenticate an alert source by its own secret (the monitoring app),
#   never a person's token (their answers to everyone are rows of the session matrix).
NOT_TOKEN_ROUTES = {"api:schema", "api:docs", "api:redoc", "api:alerts-receive", "api:alerts-receive-token"}

# The configuration site's superuser is neither agent nor contact: the API gives them no
# token (create_token refuses, see the test below), so their column is the session's only.
TOKEN_ROLES = tuple(role for role in ROLES if role != "superuser")

# (route, method, role) → the status a token gets where it differs from the session's on
# purpose. Empty: "anonymous" (no Authorization header) gets the session's 401 on every
# route, and CSRF, which a session POST must pass, does not apply to a token (every client
# below enforces CSRF checks, and the write token's POST still answers as the session's).
TOKEN_DIFFERS: dict[tuple[str, str, str], int] = {}

# A read-only token's POST is refused for its scope before anything else (403), except on
# the catch-all for unknown API paths, which has no permission check: 404 as for everyone.
READ_ONLY_POST: dict[str, int] = {"api:not-found": 404}


# The catch-all for unknown API paths is a plain Django view (no authentication at all):
# 404 whatever the credentials, which tells a dead token nothing.
NO_AUTHENTICATION: dict[str, int] = {"api:not-found": 404}


def refused(key: str) -> int:
    """What a dead or malformed token gets from a route: 401."""
    return NO_AUTHENTICATION.get(key, 401)


def api_patterns() -> list[Pattern]:
    return [p for p in all_patterns() if p.key.startswith("api:") and p.key not in NOT_TOKEN_ROUTES]


def targets(pattern: Pattern) -> list[str]:
    return ["acme", "globex"] if takes_objects(pattern) else ["acme"]


def token_client(secret: str | None = None, header: str | None = None) -> Client:
    """A client with no session cookie that enforces CSRF like a browser's would."""
    if header is None and secret is not None:
        header = f"Bearer {secret}"
    headers = {"Authorization": header} if header is not None else {}
    return Client(enforce_csrf_checks=True, headers=headers)


def expected_with_token(key: str, method: str, role: str) -> int:
    return TOKEN_DIFFERS.get((key, method, role), _expected(key, method, role))


def status(client: Client, method: str, path: str) -> int:
    return request_and_undo(client, method, path).status_code


def sweep(sw: SecurityWorld, client_for: dict[str, Client]) -> list[tuple[str, str, str, str, int]]:
    """(key, method, target, path, status) for every API route, method and target, each
    requested with the target's client."""
    seen = []
    for pattern in api_patterns():
        for target in targets(pattern):
            path = path_for(pattern, sw, target)
            for method in METHODS:
                seen.append((pattern.key, method, target, path, status(client_for[target], method, path)))
    return seen


@pytest.fixture
def sw(security_world: SecurityWorld) -> SecurityWorld:
    return security_world


def write_token(user: User) -> str:
    return tokens.create_token(user, name="Matriz", scope=Scope.WRITE).secret


def queue_agent(sw: SecurityWorld, target: str) -> User:
    user = sw.user(target, "queue_agent")
    assert user is not None
    return user


def report(mismatches: list[str]) -> str:
    return f"{len(mismatches)} answers differ:\n" + "\n".join(mismatches)


def test_the_token_matrix_covers_every_api_route_but_the_public_and_alert_ones() -> None:
    api_keys = {key for key in EXPECTED if key.startswith("api:")}
    checked = {p.key for p in api_patterns()}

    assert api_keys >= NOT_TOKEN_ROUTES
    assert checked == api_keys - NOT_TOKEN_ROUTES


def test_the_superuser_of_the_configuration_site_gets_no_api_token(sw: SecurityWorld) -> None:
    with pytest.raises(NotAllowed):
        tokens.create_token(sw.root, name="Matriz", scope=Scope.WRITE)


@pytest.mark.parametrize("role", TOKEN_ROLES)
def test_each_role_with_a_write_token_gets_what_its_session_gets_from_every_api_route(
    sw: SecurityWorld, role: str
) -> None:
    clients = {}
    for target in ("acme", "globex"):
        user = sw.user(target, role)
        clients[target] = token_client(write_token(user) if user is not None else None)

    mismatches = [
        f"{method.upper():4} {path:50} [{target}] expected {expected_with_token(key, method, role)}, got {got}"
        for key, method, target, path, got in sweep(sw, clients)
        if got != expected_with_token(key, method, role)
    ]

    assert not mismatches, report(mismatches)


def test_the_clients_here_enforce_csrf_so_a_session_post_without_it_is_refused(sw: SecurityWorld) -> None:
    """What makes the write-token matrix mean "CSRF does not apply to tokens": the same
    client signed in by session instead is refused the POST the token may make."""
    client = token_client()
    client.force_login(queue_agent(sw, "acme"))
    path = path_for(_pattern("api:ticket-close"), sw, "acme")

    assert status(client, "post", path) == 403
    assert status(token_client(write_token(queue_agent(sw, "acme"))), "post", path) == 200


def test_a_read_only_token_reads_as_the_session_and_may_not_write(sw: SecurityWorld) -> None:
    clients = {
        target: token_client(
            tokens.create_token(queue_agent(sw, target), name="Lectura", scope=Scope.READ).secret
        )
        for target in ("acme", "globex")
    }

    def expected(key: str, method: str) -> int:
        if method == "get":
            return _expected(key, method, "queue_agent")
        return READ_ONLY_POST.get(key, 403)

    mismatches = [
        f"{method.upper():4} {path:50} [{target}] expected {expected(key, method)}, got {got}"
        for key, method, target, path, got in sweep(sw, clients)
        if got != expected(key, method)
    ]

    assert not mismatches, report(mismatches)


def _expired(user: User) -> str:
    issued = tokens.create_token(
        user, name="Vencido", scope=Scope.WRITE, expires_at=timezone.now() + timedelta(hours=1)
    )
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    return issued.secret


def _revoked(user: User) -> str:
    issued = tokens.create_token(user, name="Revocado", scope=Scope.WRITE)
    tokens.revoke_token(user, issued.token)
    return issued.secret


def _of_deactivated_user(user: User) -> str:
    secret = write_token(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    return secret


@pytest.mark.parametrize(
    "make", [_expired, _revoked, _of_deactivated_user], ids=["expired", "revoked", "deactivated-user"]
)
def test_a_dead_token_of_the_queue_agent_is_refused_with_401_by_every_api_route(
    sw: SecurityWorld, make: Callable[[User], str]
) -> None:
    clients = {target: token_client(make(queue_agent(sw, target))) for target in ("acme", "globex")}

    wrong = [
        f"{method.upper():4} {path} [{target}] expected {refused(key)}, got {got}"
        for key, method, target, path, got in sweep(sw, clients)
        if got != refused(key)
    ]

    assert not wrong, report(wrong)


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer atd_short_secret",
        "Bearer atd_abcdefghij_",
        "Bearer one two",
        "Bearer atd_abcdefghij_madeUpSecret0123456789",
        "bearer not-a-token",
    ],
)
def test_a_malformed_or_unknown_bearer_header_is_refused_with_401(sw: SecurityWorld, header: str) -> None:
    client = token_client(header=header)
    wrong = {
        p.key: got
        for p in api_patterns()
        if (got := status(client, "get", path_for(p, sw, "acme"))) != refused(p.key)
    }

    assert not wrong, wrong


def test_a_malformed_header_gets_401_from_every_api_route_and_method(sw: SecurityWorld) -> None:
    client = token_client(header="Bearer atd_not-a-token")
    clients = {"acme": client, "globex": client}

    wrong = [
        f"{m.upper():4} {path} got {got}" for k, m, _t, path, got in sweep(sw, clients) if got != refused(k)
    ]

    assert not wrong, report(wrong)


def test_an_integration_users_service_token_acts_as_an_agent_of_its_queue(sw: SecurityWorld) -> None:
    admin = sw.world.admin.user
    clients = {}
    for target in ("acme", "globex"):
        integration = tokens.create_integration_user(
            admin, name=f"Integración {target}", email=f"bot-{target}@atiende.test"
        )
        agent = integration.agent_or_none
        assert agent is not None
        sw.objects[target].queue.agents.add(agent)
        clients[target] = token_client(
            tokens.create_service_token(admin, integration, name="Servicio").secret
        )

    mismatches = [
        f"{method.upper():4} {path:50} [{target}] expected {_expected(key, method, 'queue_agent')}, got {got}"
        for key, method, target, path, got in sweep(sw, clients)
        if got != _expected(key, method, "queue_agent")
    ]

    assert not mismatches, report(mismatches)


@pytest.mark.parametrize("role", ["requester", "company_contact"])
def test_a_contacts_token_finds_nothing_of_the_other_company(sw: SecurityWorld, role: str) -> None:
    """Against the other company's objects a contact's token gets 404 (the object does not
    exist for them), never 403 (which would say it does); 405 only where the route takes
    no such method at all, before any object is looked up."""
    other = {"acme": "globex", "globex": "acme"}
    clients = {}
    for target in ("acme", "globex"):
        user = sw.user(other[target], role)  # a contact of the company that is not target's
        assert user is not None
        clients[target] = token_client(write_token(user))

    answers = [(k, m, t, p, got) for k, m, t, p, got in sweep(sw, clients) if takes_objects(_pattern(k))]
    wrong = [f"{m.upper():4} {p} [{t}] got {got}" for k, m, t, p, got in answers if got not in {404, 405}]
    found = [(k, m, t) for k, m, t, _p, got in answers if got == 404]

    assert not wrong, report(wrong)
    assert ("api:ticket-detail", "get", "acme") in found
    assert ("api:ticket-detail", "get", "globex") in found


def _pattern(key: str) -> Pattern:
    return next(p for p in api_patterns() if p.key == key)
