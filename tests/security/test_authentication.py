"""Authentication beyond what tests/portal covers (per-account sign-in lockout, reset rate
limit, wrong two-step codes, session rotation): guessing across many accounts from one
address, limits that do not reveal which accounts exist, the two-step step rotating the
session too, cookie flags in production, and every `next` parameter refusing to send
people to another site."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from atiende.outbox.models import OutboundEmail
from tests.conftest import World
from tests.factories import PASSWORD
from tests.portal.test_account_two_step import NOON, totp, turn_on_two_step

HOSTILE_NEXT = [
    "//evil.test",
    "https://evil.test",
    "http://evil.test/portal/",
    "/\\evil.test",
    "\\\\evil.test",
    "/\\/evil.test",
    "javascript:alert(1)",
    " //evil.test",
    "https:evil.test",
    "//evil.test/portal/",
    "/portal/\r\nLocation: https://evil.test",
]


CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _stays_here(location: str) -> bool:
    """A redirect target that a browser resolves on this site."""
    stripped = location.strip()
    parts = urlsplit(stripped.replace("\\", "/"))
    return (
        not parts.scheme
        and not parts.netloc
        and stripped.startswith("/")
        and not stripped.replace("\\", "/").startswith("//")
        and "\n" not in location
        and "\r" not in location
    )


def test_the_redirect_check_itself_tells_local_from_foreign() -> None:
    assert _stays_here("/portal/")
    assert not any(_stays_here(target) for target in HOSTILE_NEXT if not target.startswith("/portal/"))


# --- guessing --------------------------------------------------------------------------


def test_guessing_passwords_across_many_accounts_from_one_address_is_stopped(
    client: Client, world: World
) -> None:
    for n in range(10):
        client.post(reverse("account_login"), {"login": f"persona{n}@acme.test", "password": "equivocada"})

    blocked = client.post(reverse("account_login"), {"login": "luis@acme.test", "password": PASSWORD})

    assert "Demasiados intentos fallidos" in blocked.content.decode()
    assert not _signed_in(client)


def test_the_sign_in_limit_looks_the_same_for_known_and_unknown_addresses(world: World) -> None:
    answers: list[tuple[int, object]] = []
    for email in ("luis@acme.test", "nadie@acme.test"):
        client = Client(REMOTE_ADDR=f"10.0.0.{len(answers) + 1}")
        for _ in range(5):
            client.post(reverse("account_login"), {"login": email, "password": "equivocada"})
        sixth = client.post(reverse("account_login"), {"login": email, "password": "equivocada"})
        answers.append((sixth.status_code, sixth.context["form"].errors))

    assert answers[0] == answers[1]
    assert "Demasiados intentos fallidos" in str(answers[0][1])


def test_a_reset_answers_the_same_for_known_and_unknown_addresses_even_when_limited(
    world: World,
) -> None:
    pages = []
    for n, email in enumerate(("luis@acme.test", "nadie@acme.test")):
        client = Client(REMOTE_ADDR=f"10.0.1.{n + 1}")
        first = client.post(reverse("account_reset_password"), {"email": email})
        done = client.get(first["Location"])
        for _ in range(4):
            client.post(reverse("account_reset_password"), {"email": email})
        limited = client.post(reverse("account_reset_password"), {"email": email})
        page = CSRF_TOKEN.sub("", done.content.decode())
        pages.append((first.status_code, first["Location"], page, limited.status_code))

    assert pages[0] == pages[1]
    assert pages[0][3] == 429
    # Queued in the outbox inside each request: five for the known address, none otherwise.
    assert [email.to for email in OutboundEmail.objects.filter(kind="password_reset")] == [
        ["luis@acme.test"]
    ] * 5


def test_the_two_step_step_also_gives_a_new_session_key(world: World) -> None:
    client = Client()
    with time_machine.travel(NOON, tick=False) as clock:
        client.post(reverse("account_login"), {"login": "ana@acme.test", "password": PASSWORD})
        secret, _codes = turn_on_two_step(client)
        client.post(reverse("account_logout"))
        clock.shift(60)
        client.post(reverse("account_login"), {"login": "ana@acme.test", "password": PASSWORD})
        assert not _signed_in(client)
        pending = client.session.session_key

        client.post(reverse("mfa_authenticate"), {"code": totp(secret, time.time())})

        assert _signed_in(client)
        assert client.session.session_key != pending


# --- cookies in production -------------------------------------------------------------

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "production-like-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "soporte.example.com",
}
SETTINGS_DUMP = (
    "import json, atiende.settings as s; print(json.dumps({n: getattr(s, n) for n in ("
    "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', "
    "'CSRF_COOKIE_SAMESITE', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_CONTENT_TYPE_NOSNIFF', "
    "'X_FRAME_OPTIONS', 'DEBUG') if hasattr(s, n)}))"
)


def _production_settings(**extra: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in {"ATIENDE_DEMO", "DEBUG", "ATIENDE_HTTPS"}}
    env.update(PRODUCTION_ENV, **extra)
    out = subprocess.run(
        [sys.executable, "-c", SETTINGS_DUMP], env=env, capture_output=True, text=True, check=True
    )
    values: dict[str, object] = json.loads(out.stdout)
    return values


def test_production_settings_keep_cookies_on_https_out_of_scripts_and_same_site() -> None:
    values = _production_settings()

    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values.get("SESSION_COOKIE_SAMESITE", "Lax") in {"Lax", "Strict"}
    assert values.get("CSRF_COOKIE_SAMESITE", "Lax") in {"Lax", "Strict"}
    assert values["SECURE_SSL_REDIRECT"] is True
    assert int(str(values["SECURE_HSTS_SECONDS"])) >= 31536000
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"


def test_atiende_https_false_is_the_only_way_to_plain_http_cookies() -> None:
    assert _production_settings(ATIENDE_HTTPS="false")["SESSION_COOKIE_SECURE"] is False
    assert _production_settings(ATIENDE_HTTPS="true")["SESSION_COOKIE_SECURE"] is True


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_with_those_settings_the_sign_in_cookies_carry_the_flags(client: Client, world: World) -> None:
    form = client.get(reverse("account_login"))
    signed_in = client.post(reverse("account_login"), {"login": "luis@acme.test", "password": PASSWORD})

    session = signed_in.cookies["sessionid"]
    csrf = form.cookies["csrftoken"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert csrf["secure"] and csrf["samesite"] == "Lax"


# --- open redirects --------------------------------------------------------------------


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_signing_in_never_sends_to_another_site(client: Client, world: World, target: str) -> None:
    via_query = client.post(
        reverse("account_login") + "?next=" + target.replace("\r\n", "%0D%0A"),
        {"login": "luis@acme.test", "password": PASSWORD},
    )
    client.post(reverse("account_logout"))
    via_form = client.post(
        reverse("account_login"), {"login": "luis@acme.test", "password": PASSWORD, "next": target}
    )

    for response in (via_query, via_form):
        assert response.status_code == 302
        assert _stays_here(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_signing_out_never_sends_to_another_site(client: Client, world: World, target: str) -> None:
    client.force_login(world.luis.user)

    response = client.post(reverse("account_logout"), {"next": target})

    assert response.status_code == 302
    assert _stays_here(response["Location"]), response["Location"]
    assert not _signed_in(client)


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_the_language_switch_never_sends_to_another_site(client: Client, db: None, target: str) -> None:
    for response in (
        client.post(reverse("set_language"), {"language": "en", "next": target}),
        client.post(reverse("set_language"), {"language": "en"}, headers={"referer": target}),
    ):
        assert response.status_code in {302, 204}
        if response.status_code == 302:
            assert _stays_here(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_the_company_switch_never_sends_to_another_site(client: Client, world: World, target: str) -> None:
    client.force_login(world.sofia.user)

    response = client.post(reverse("portal:company-switch"), {"company": world.globex.pk, "next": target})

    assert response.status_code == 302
    assert _stays_here(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_desk_forms_never_send_to_another_site(client: Client, world: World, target: str) -> None:
    client.force_login(world.agente.user)

    for response in (
        client.post(reverse("desk:saved-view-create"), {"name": "", "query": "", "next": target}),
        client.post(reverse("desk:bulk-apply"), {"numbers": [], "next": target}),
    ):
        if response.status_code == 302:
            assert _stays_here(response["Location"]), response["Location"]
        else:
            assert response.status_code == 400
