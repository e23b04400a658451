"""The contact's account in a real browser: two-step authentication with an authenticator
app's codes, password reset by email, and the portal in English on request."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import time
from collections.abc import Iterator

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from atiende.accounts.models import User
from tests.browser.conftest import check_accessibility, header_link, sign_in, sign_out, snap
from tests.conftest import World

pytestmark = pytest.mark.browser

NEW_PASSWORD = "mesa de ayuda en marzo 2025"
RESET_LINK = re.compile(r"https?://[^\s\"'<>]+/accounts/password/reset/key/[^\s\"'<>]+")


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """The real time, ticking, but movable: the live server runs in this process, so moving
    the clock on to the next 30-second window spares waiting for it (allauth refuses a code
    that was already used)."""
    with time_machine.travel(time.time(), tick=True) as traveller:
        yield traveller


def oathtool(secret: str, clock: time_machine.Traveller | None = None) -> str:
    """The code an authenticator app shows now (by the server's clock). With the clock, a
    code near the end of its 30-second window waits for the next one, so a slow machine
    never has the server check it after the window turned."""
    if clock is not None and time.time() % 30 > 20:
        clock.shift(dt.timedelta(seconds=30.5 - time.time() % 30))
    now = dt.datetime.fromtimestamp(time.time(), dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return subprocess.run(
        ["oathtool", "--totp", "-b", "--now", now, secret], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_a_contact_turns_on_two_step_authentication_and_then_signs_in_with_a_code(
    page: Page, world: World, clock: time_machine.Traveller
) -> None:
    sign_in(page, "ana@acme.test")
    header_link(page, "Seguridad de la cuenta").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Seguridad de la cuenta")
    snap(page, "security-off")
    check_accessibility(page, "security")

    page.locator("main").get_by_role("link", name="Activar").click()
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmar contraseña")
    snap(page, "confirm-password")
    check_accessibility(page, "confirm-password")
    page.get_by_label("Contraseña").fill("correct horse battery staple")
    page.locator("main").get_by_role("button", name="Confirmar").click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Autenticación en dos pasos")
    qr = page.get_by_role("img", name=re.compile("QR"))
    expect(qr).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    page.get_by_text("¿No lo puede escanear?").click()
    secret_text = page.locator("#authenticator_secret")
    expect(secret_text).to_be_visible()
    secret = secret_text.inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    snap(page, "two-step-activate")
    check_accessibility(page, "two-step-activate")
    page.get_by_label("Código de verificación").fill(oathtool(secret, clock))
    page.locator("main").get_by_role("button", name="Activar").click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    codes = page.locator("#recovery_codes li")
    expect(codes.first).to_be_visible()
    assert codes.count() >= 8
    assert all(re.fullmatch(r"\d{8}", code.strip()) for code in codes.all_inner_texts())
    snap(page, "recovery-codes")
    check_accessibility(page, "recovery-codes")
    assert Authenticator.objects.filter(user=world.ana.user, type=Authenticator.Type.TOTP).exists()

    sign_out(page)
    sign_in(page, "ana@acme.test")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Autenticación en dos pasos")
    snap(page, "two-step-code")
    check_accessibility(page, "two-step-code")
    clock.shift(dt.timedelta(seconds=30))  # the next window: a fresh code
    page.get_by_label("Código de verificación").fill(oathtool(secret, clock))
    page.locator("main").get_by_role("button", name="Iniciar sesión").click()

    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hola, Ana")
    header_link(page, "Seguridad de la cuenta").click()
    expect(page.locator(".status.on")).to_be_visible()
    snap(page, "security-on")


def test_a_contact_resets_the_password_from_the_emailed_link_and_signs_in_with_it(
    page: Page, world: World, settings: Settings, live_server: LiveServer
) -> None:
    # The emailed link names the configured address (not the request's host): here, this server.
    settings.ATIENDE_BASE_URL = live_server.url
    page.goto("/accounts/login/")
    page.get_by_role("link", name="¿Olvidó su contraseña?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Restablecer contraseña")
    snap(page, "password-reset")
    check_accessibility(page, "password-reset")
    page.get_by_label("Correo").fill("luis@acme.test")
    page.locator("main").get_by_role("button").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Revise su correo")
    snap(page, "password-reset-sent")
    check_accessibility(page, "password-reset-sent")
    assert [message.to for message in mail.outbox] == [["luis@acme.test"]]
    links = RESET_LINK.findall(str(mail.outbox[0].body))
    assert links, mail.outbox[0].body
    assert links[0].startswith(page.url.split("/accounts/")[0]), links[0]

    page.goto(links[0])
    expect(page.get_by_role("heading", level=1)).to_have_text("Restablecer contraseña")
    snap(page, "password-reset-new")
    check_accessibility(page, "password-reset-new")
    page.get_by_label("Contraseña nueva", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Contraseña nueva, otra vez").fill(NEW_PASSWORD)
    page.locator("main").get_by_role("button", name="Guardar contraseña nueva").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Contraseña cambiada")
    snap(page, "password-reset-done")
    check_accessibility(page, "password-reset-done")
    user = User.objects.get(email="luis@acme.test")
    assert user.check_password(NEW_PASSWORD)

    page.locator("main").get_by_role("link", name="Iniciar sesión").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    sign_in(page, "luis@acme.test", NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hola, Luis")


def test_a_contact_who_chooses_english_in_details_sees_the_portal_in_english(
    page: Page, world: World
) -> None:
    sign_in(page, "luis@acme.test")
    header_link(page, "Detalles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Detalles")
    snap(page, "details")
    check_accessibility(page, "details")

    page.get_by_label("Idioma").select_option(value="en")
    page.locator("main").get_by_role("button", name="Guardar cambios").click()

    expect(header_link(page, "My Tickets")).to_be_visible()
    expect(header_link(page, "New Ticket")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Details")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    snap(page, "details-english")
    check_accessibility(page, "details-english")
    header_link(page, "My Tickets").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My Tickets")
    snap(page, "my-tickets-english")
