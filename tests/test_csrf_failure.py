"""A request that fails the CSRF check: the person's own page explains, and a page's own
background request (a presence ping, a beacon as the page is left) gets a bare refusal that
hands the browser no new CSRF cookie."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import open_ticket


@pytest.fixture
def strict(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.agente.user)
    return client


@pytest.mark.parametrize("mode", ["no-cors", "cors", "same-origin"])
def test_a_background_request_is_refused_without_a_new_csrf_cookie(strict, world, mode):
    ticket = open_ticket(world.luis, world.soporte)

    answer = strict.post(
        reverse("desk:ticket-presence", args=[ticket.number]),
        {"state": "left"},
        headers={"Sec-Fetch-Mode": mode},
    )

    assert answer.status_code == 403
    assert settings.CSRF_COOKIE_NAME not in answer.cookies
    assert answer["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Mode": "navigate"}, {}])
def test_a_form_the_person_sent_gets_the_page_that_explains(strict, world, headers):
    ticket = open_ticket(world.luis, world.soporte)

    answer = strict.post(
        reverse("desk:ticket-compose", args=[ticket.number]),
        {"text": "Hola"},
        headers={**headers, "Referer": f"http://testserver{reverse('desk:ticket', args=[ticket.number])}"},
    )

    assert answer.status_code == 403
    assert answer["Content-Type"].startswith("text/html")
    assert reverse("desk:ticket", args=[ticket.number]) in answer.content.decode()
