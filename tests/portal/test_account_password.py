"""Passwords: the reset by email (*Restablecer contraseña*) and the change while signed in
(*Cambiar contraseña*)."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import PASSWORD

NEW_PASSWORD = "una clave nueva para Luis 2025"
RESET_LINK = re.compile(r"https?://[^\s]+/accounts/password/reset/key/[^\s]+")


def es(msgid: str) -> str:
    with translation.override("es"):
        return gettext(msgid)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.fixture
def ask_reset(client, django_capture_on_commit_callbacks):
    """*Restablecer contraseña* for an address; the email goes out when the request commits."""

    def ask(email: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("account_reset_password"), {"email": email})

    return ask


def body_of(message) -> str:
    return str(message.body)


def reset_link_in(message) -> str:
    found: list[str] = RESET_LINK.findall(body_of(message))
    assert len(found) == 1
    return found[0].removeprefix("http://testserver")


def test_a_reset_request_sends_one_email_with_a_link(client, world, ask_reset):
    response = ask_reset("luis@acme.test")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["luis@acme.test"]
    assert RESET_LINK.search(body_of(mail.outbox[0]))
    done = client.get(response["Location"]).content.decode()
    assert es("Check your email") in done


def test_the_link_lets_you_choose_a_new_password_and_sign_in_with_it_once(client, world, ask_reset):
    ask_reset("luis@acme.test")
    link = reset_link_in(mail.outbox[0])

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert not form_page.context.get("token_fail")
    html = form_page.content.decode()
    assert 'name="password1"' in html
    assert 'name="password2"' in html
    saved = client.post(
        form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert saved.status_code == 302
    assert saved["Location"] == reverse("account_reset_password_from_key_done")
    assert es("Password changed") in client.get(saved["Location"]).content.decode()

    assert sign_in(client, "luis@acme.test", PASSWORD).status_code == 200
    assert sign_in(client, "luis@acme.test", NEW_PASSWORD).status_code == 302
    client.post(reverse("account_logout"))

    again = client.get(link, follow=True)
    assert again.status_code == 200
    assert again.context["token_fail"] is True
    html = again.content.decode()
    assert es("This link no longer works") in html
    assert reverse("account_reset_password") in html
    assert 'name="password1"' not in html


def test_mismatched_new_passwords_are_refused_next_to_the_field(client, world, ask_reset):
    ask_reset("luis@acme.test")
    form_page = client.get(reset_link_in(mail.outbox[0]), follow=True)

    refused = client.post(
        form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}
    )

    assert refused.status_code == 200
    assert refused.context["form"].errors["password2"]
    assert 'id="password2-error"' in refused.content.decode()


def test_a_reset_for_an_unknown_email_looks_the_same_and_sends_no_link(client, world, ask_reset):
    known = ask_reset("luis@acme.test")
    mail.outbox.clear()

    unknown = ask_reset("nadie@acme.test")

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert not any(RESET_LINK.search(body_of(message)) for message in mail.outbox)


def test_a_malformed_email_is_refused_next_to_the_field_keeping_it(client, world):
    page = client.post(reverse("account_reset_password"), {"email": "luis@"})

    assert page.status_code == 200
    assert page.context["form"].errors["email"]
    html = page.content.decode()
    assert 'value="luis@"' in html
    assert 'id="email-error"' in html
    assert mail.outbox == []


def test_too_many_reset_requests_get_the_rate_limit_page(client, world, ask_reset):
    for _attempt in range(5):
        ask_reset("luis@acme.test")

    stopped = ask_reset("luis@acme.test")

    assert stopped.status_code == 429
    html = stopped.content.decode()
    assert es("Too many attempts") in html
    assert es("Wait a few minutes and try again.") in html
    assert reverse("account_reset_password") in html
    assert len(mail.outbox) == 5


def test_changing_the_password_requires_the_current_one(client, world):
    sign_in(client, "luis@acme.test", PASSWORD)

    refused = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not my password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert refused.status_code == 200
    assert refused.context["form"].errors["oldpassword"]
    assert 'id="oldpassword-error"' in refused.content.decode()
    world.luis.user.refresh_from_db()
    assert world.luis.user.check_password(PASSWORD)


def test_changing_the_password_with_the_current_one_works_and_keeps_you_signed_in(client, world):
    sign_in(client, "luis@acme.test", PASSWORD)

    changed = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert changed.status_code == 200
    assert "_auth_user_id" in client.session
    world.luis.user.refresh_from_db()
    assert world.luis.user.check_password(NEW_PASSWORD)
    assert es("Password successfully changed.") in changed.content.decode()
