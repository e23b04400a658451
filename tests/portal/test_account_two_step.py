"""*Seguridad de la cuenta* and two-step authentication (*Autenticación en dos pasos*),
through the same pages a contact uses: activate with an app's code, sign in with it,
fall back on a recovery code, and be stopped after too many wrong codes."""

import base64
import datetime as dt
import hashlib
import hmac
import re
import shutil
import struct
import subprocess
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import PASSWORD

SECURITY = reverse("portal:security")
NOON = dt.datetime(2025, 3, 4, 12, 0, 5, tzinfo=dt.UTC)


def es(msgid: str) -> str:
    with translation.override("es"):
        return gettext(msgid)


def totp(secret: str, at: float) -> str:
    """RFC 6238: HMAC-SHA1 over the 30-second step, 6 digits."""
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


@pytest.fixture(autouse=True)
def fresh_cache():
    # Rate-limit counters and used-code marks live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def is_signed_in(client):
    return "_auth_user_id" in client.session


def confirm_password(client, asked):
    """allauth asks for the password again before changing how one signs in."""
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    return client.post(asked["Location"], {"password": PASSWORD}, follow=True)


def turn_on_two_step(client):
    """Activate TOTP from the activation page; returns the secret and the recovery codes."""
    page = confirm_password(client, client.get(reverse("mfa_activate_totp")))
    assert page.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp(secret, time.time())})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    codes = client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"]
    return secret, list(codes)


def test_our_code_generator_agrees_with_oathtool():
    if shutil.which("oathtool") is None:
        pytest.skip("oathtool is not installed")
    secret = "JBSWY3DPEHPK3PXP"
    moment = NOON.timestamp()

    expected = subprocess.run(
        ["oathtool", "--totp", "-b", "--now", NOON.strftime("%Y-%m-%d %H:%M:%S UTC"), secret],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    assert totp(secret, moment) == expected


def test_the_security_page_offers_password_change_and_two_step_off_then_on(client, world, clock):
    sign_in(client, "ana@acme.test")

    before = client.get(SECURITY).content.decode()
    turn_on_two_step(client)
    after = client.get(SECURITY).content.decode()

    assert reverse("account_change_password") in before
    assert es("Status: off") in before
    assert reverse("mfa_activate_totp") in before
    assert es("Status: on") in after
    assert reverse("mfa_deactivate_totp") in after
    assert reverse("mfa_view_recovery_codes") in after
    assert reverse("mfa_generate_recovery_codes") in after
    assert Authenticator.objects.filter(user=world.ana.user, type=Authenticator.Type.TOTP).exists()


def test_the_activation_page_shows_a_qr_image_and_the_secret_as_text(client, world, clock):
    sign_in(client, "ana@acme.test")

    page = confirm_password(client, client.get(reverse("mfa_activate_totp")))

    html = page.content.decode()
    secret = page.context["form"].secret
    assert re.search(r'<img class="qr" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', html)
    assert f'<code class="secret-key" id="authenticator_secret">{secret}</code>' in html
    assert 'name="code"' in html
    assert "<svg" not in html
    assert "style=" not in html


def test_activating_asks_to_confirm_the_password_first(client, world, clock):
    sign_in(client, "ana@acme.test")

    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    confirm_page = client.get(asked["Location"])
    assert confirm_page.status_code == 200
    assert 'name="password"' in confirm_page.content.decode()

    wrong = client.post(asked["Location"], {"password": "not it"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["password"]

    confirmed = client.post(asked["Location"], {"password": PASSWORD}, follow=True)
    assert confirmed.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert confirmed.status_code == 200


def test_a_wrong_activation_code_is_refused_next_to_the_field(client, world, clock):
    sign_in(client, "ana@acme.test")
    secret = confirm_password(client, client.get(reverse("mfa_activate_totp"))).context["form"].secret
    wrong = f"{(int(totp(secret, time.time())) + 1) % 1_000_000:06d}"

    page = client.post(reverse("mfa_activate_totp"), {"code": wrong})

    assert page.status_code == 200
    assert page.context["form"].errors["code"]
    assert 'id="code-error"' in page.content.decode()
    assert not Authenticator.objects.filter(user=world.ana.user).exists()


def test_with_two_step_on_signing_in_asks_for_the_code_and_then_lets_the_contact_in(client, world, clock):
    sign_in(client, "ana@acme.test")
    secret, _codes = turn_on_two_step(client)
    client.post(reverse("account_logout"))
    clock.shift(60)

    after_password = sign_in(client, "ana@acme.test")

    assert after_password.status_code == 302
    assert after_password["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client)
    assert client.get(reverse("portal:details")).status_code == 302
    code_page = client.get(reverse("mfa_authenticate")).content.decode()
    assert es("Two-step authentication") in code_page
    assert (
        es(
            "No phone at hand? Write one of your recovery codes (8 digits) instead. "
            "Each recovery code works only once."
        )
        in code_page
    )

    landed = client.post(reverse("mfa_authenticate"), {"code": totp(secret, time.time())}, follow=True)

    assert landed.redirect_chain[-1][0] == reverse("portal:home")
    assert landed.status_code == 200
    assert is_signed_in(client)


def test_a_recovery_code_signs_in_once_and_only_once(client, world, clock):
    sign_in(client, "ana@acme.test")
    _secret, codes = turn_on_two_step(client)
    client.post(reverse("account_logout"))

    sign_in(client, "ana@acme.test")
    first = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert first.status_code == 302
    assert is_signed_in(client)
    client.post(reverse("account_logout"))

    sign_in(client, "ana@acme.test")
    again = client.post(reverse("mfa_authenticate"), {"code": codes[0]})

    assert again.status_code == 200
    assert again.context["form"].errors["code"] == [es("Incorrect code.")]
    assert not is_signed_in(client)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[1]}).status_code == 302


def test_repeated_wrong_codes_are_stopped_even_before_a_right_one(client, world, clock):
    sign_in(client, "ana@acme.test")
    secret, _codes = turn_on_two_step(client)
    client.post(reverse("account_logout"))
    clock.shift(60)
    sign_in(client, "ana@acme.test")
    right = totp(secret, time.time())
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    for _attempt in range(5):
        refused = client.post(reverse("mfa_authenticate"), {"code": wrong})
        assert refused.context["form"].errors["code"] == [es("Incorrect code.")]
    stopped = client.post(reverse("mfa_authenticate"), {"code": right})

    assert stopped.status_code == 200
    assert stopped.context["form"].errors["code"] == [es("Too many failed login attempts. Try again later.")]
    assert es("Too many failed login attempts. Try again later.") in stopped.content.decode()
    assert not is_signed_in(client)


def test_recovery_codes_can_be_seen_downloaded_and_regenerated(client, world, clock):
    sign_in(client, "ana@acme.test")
    _secret, codes = turn_on_two_step(client)

    page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    download = client.get(reverse("mfa_download_recovery_codes"))
    confirm = client.get(reverse("mfa_generate_recovery_codes"))
    client.post(reverse("mfa_generate_recovery_codes"))
    fresh = client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"]

    assert all(f"<code>{code}</code>" in page for code in codes)
    assert download["Content-Disposition"].startswith("attachment")
    assert download.content.decode().split() == codes
    assert confirm.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in confirm.content.decode()
    assert len(fresh) == len(codes)
    assert set(fresh).isdisjoint(codes)


def test_deactivating_turns_two_step_off_after_confirmation(client, world, clock):
    sign_in(client, "ana@acme.test")
    turn_on_two_step(client)

    confirm = client.get(reverse("mfa_deactivate_totp"))
    done = client.post(reverse("mfa_deactivate_totp"))

    assert confirm.status_code == 200
    assert done.status_code == 302
    assert not Authenticator.objects.filter(user=world.ana.user).exists()
    assert es("Status: off") in client.get(SECURITY).content.decode()


def test_a_contact_who_asked_for_a_password_reset_can_still_turn_on_two_step(client, world, clock):
    # A reset request leaves an unverified EmailAddress behind, which contacts cannot
    # verify; two-step authentication must not depend on it.
    client.post(reverse("account_reset_password"), {"email": "ana@acme.test"})
    sign_in(client, "ana@acme.test")

    asked = client.get(reverse("mfa_activate_totp"))

    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
