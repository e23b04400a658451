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


def _session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]


def test_page_views_do_not_write_the_session_until_its_expiry_needs_renewing(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client.post(reverse("account_login"), {"login": "luis@acme.test", "password": PASSWORD})
        client.get(reverse("portal:home"))  # the first view after signing in notes the renewal

        clock.shift(datetime.timedelta(seconds=settings.ATIENDE_SESSION_REFRESH_SECONDS - 1))
        with CaptureQueriesContext(connection) as quiet:
            assert client.get(reverse("portal:home")).status_code == 200
        assert _session_writes(quiet) == []

        clock.shift(datetime.timedelta(seconds=2))
        with CaptureQueriesContext(connection) as renewing:
            assert client.get(reverse("portal:home")).status_code == 200
        assert len(_session_writes(renewing)) == 1


def test_a_forged_renewal_mark_in_the_future_is_renewed_not_trusted(client, world):
    client.post(reverse("account_login"), {"login": "luis@acme.test", "password": PASSWORD})
    session = client.session
    session["_refreshed_at"] = 4_000_000_000
    session.save()

    client.get(reverse("portal:home"))

    assert client.session["_refreshed_at"] < 4_000_000_000
