"""Every account page a contact meets is drawn in the house style and keeps to the
Content-Security-Policy: no inline styles, no inline scripts."""

import re

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import PASSWORD

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def es(msgid: str) -> str:
    with translation.override("es"):
        return gettext(msgid)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def assert_house_style(response):
    assert response.status_code in {200, 429}
    html = response.content.decode()
    assert '<section class="card' in html
    assert "style=" not in html
    for tag in SCRIPT_TAG.findall(html):
        assert " src=" in tag or 'type="application/json"' in tag, tag
    policy = response["Content-Security-Policy"]
    assert "img-src 'self' data:" in policy
    assert "unsafe-inline" not in policy
    return html


@pytest.mark.parametrize(
    "url",
    [
        reverse("account_reset_password"),
        reverse("account_reset_password_done"),
        reverse("account_reset_password_from_key_done"),
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "not-a-key"}),
        reverse("account_signup"),
    ],
)
def test_the_pages_before_signing_in_look_like_the_sign_in_page(client, db, url):
    html = assert_house_style(client.get(url))

    assert 'lang="es"' in html
    assert reverse("account_login") in html


@pytest.mark.parametrize(
    "name",
    [
        "portal:details",
        "portal:security",
        "account_change_password",
        "account_logout",
        "account_reauthenticate",
        "mfa_index",
    ],
)
def test_the_signed_in_account_pages_keep_the_portal_around_them(client, world, name):
    client.post(reverse("account_login"), {"login": "luis@acme.test", "password": PASSWORD})

    html = assert_house_style(client.get(reverse(name)))

    assert 'class="mainnav portal-wide"' in html
    assert 'class="nav-more portal-menu"' in html
    assert 'name="csrfmiddlewaretoken"' in html or name in {"portal:security", "mfa_index"}


def test_the_forms_keep_the_field_names_allauth_expects(client, world):
    client.post(reverse("account_login"), {"login": "luis@acme.test", "password": PASSWORD})

    change = client.get(reverse("account_change_password")).content.decode()
    confirm = client.get(reverse("account_reauthenticate")).content.decode()

    for field in ("oldpassword", "password1", "password2", "csrfmiddlewaretoken"):
        assert f'name="{field}"' in change
    for field in ("password", "csrfmiddlewaretoken"):
        assert f'name="{field}"' in confirm
    assert es("Confirm password") in confirm


def test_the_activation_page_is_in_the_house_style(client, world):
    client.post(reverse("account_login"), {"login": "luis@acme.test", "password": PASSWORD})
    asked = client.get(reverse("mfa_activate_totp"))
    client.post(asked["Location"], {"password": PASSWORD})

    html = assert_house_style(client.get(reverse("mfa_activate_totp")))

    assert es("Can't scan it?") in html
    assert es("Verification code") in html
    assert es("Activate") in html


def test_the_rate_limit_page_says_what_happened_and_what_to_do(db):
    from allauth.core.internal.ratelimit import handler429
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().post(reverse("account_login"))
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    with translation.override("es"):
        response = handler429(request)

    html = response.content.decode()
    assert response.status_code == 429
    assert es("Too many attempts") in html
    assert es("Wait a few minutes and try again.") in html
    assert reverse("account_reset_password") in html
    assert "style=" not in html


def test_the_email_address_is_kept_by_the_provider_not_changed_by_the_contact(client, world):
    client.post(reverse("account_login"), {"login": "luis@acme.test", "password": PASSWORD})

    response = client.post("/accounts/email/", {"email": "otro@acme.test", "action_add": "1"})

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:details")
    world.luis.user.refresh_from_db()
    assert world.luis.user.email == "luis@acme.test"
    assert not world.luis.user.emailaddress_set.filter(email="otro@acme.test").exists()
