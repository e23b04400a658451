import datetime

import time_machine
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD


def test_a_session_ends_after_the_idle_time_and_activity_keeps_it_alive(client, world):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(start, tick=False) as clock:
        client.post(reverse("account_login"), {"login": "luis@acme.test", "password": PASSWORD})
        assert client.get(reverse("portal:home")).status_code == 200

        clock.shift(idle - datetime.timedelta(minutes=5))
        assert client.get(reverse("portal:home")).status_code == 200  # activity renews the session

        clock.shift(idle - datetime.timedelta(minutes=5))
        assert client.get(reverse("portal:home")).status_code == 200

        clock.shift(idle + datetime.timedelta(minutes=1))
        response = client.get(reverse("portal:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_signing_in_rotates_the_session_key(client, world):
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key

    client.post(reverse("account_login"), {"login": "luis@acme.test", "password": PASSWORD})

    assert client.session.session_key != before


def test_repeated_wrong_passwords_are_slowed_down_with_a_clear_message(client, world):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "luis@acme.test", "password": "equivocada"})

    blocked = client.post(reverse("account_login"), {"login": "luis@acme.test", "password": PASSWORD})

    assert "Demasiados intentos fallidos" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
