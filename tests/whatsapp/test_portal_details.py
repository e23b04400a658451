"""In *Detalles* a contact gives their WhatsApp and chooses email, WhatsApp or both."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World

pytestmark = pytest.mark.django_db


def details(**changes: str) -> dict[str, str]:
    return {
        "full_name": "Luis Acme",
        "phone": "",
        "extension": "",
        "area": "",
        "language": "es",
        "time_zone": "America/Bogota",
        "notifications": "all",
        "whatsapp": "300 444 5566",
        "notify_by": "whatsapp",
        **changes,
    }


def test_a_contact_chooses_whatsapp_and_the_number_is_kept_in_e164(client: Client, world: World) -> None:
    client.force_login(world.luis.user)
    page = client.get(reverse("portal:details")).content.decode()
    assert "Notificaciones por" in page
    response = client.post(reverse("portal:details"), details())
    assert response.status_code == 302
    world.luis.refresh_from_db()
    assert world.luis.whatsapp == "+573004445566"
    assert world.luis.notify_by == "whatsapp"


def test_whatsapp_without_a_number_is_refused_keeping_what_was_typed(client: Client, world: World) -> None:
    client.force_login(world.luis.user)
    response = client.post(reverse("portal:details"), details(whatsapp="", area="Contabilidad"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Escriba su número de WhatsApp" in html
    assert 'value="Contabilidad"' in html
    world.luis.refresh_from_db()
    assert world.luis.notify_by == "email"


@pytest.mark.parametrize("number", ["abc", "+1", "1" * 40, "+57 300 <script>"])
def test_a_number_that_is_not_a_phone_is_refused(client: Client, world: World, number: str) -> None:
    client.force_login(world.luis.user)
    response = client.post(reverse("portal:details"), details(whatsapp=number))
    assert "indicativo de país" in response.content.decode()
    world.luis.refresh_from_db()
    assert world.luis.whatsapp == ""


def test_an_unknown_choice_is_refused(client: Client, world: World) -> None:
    client.force_login(world.luis.user)
    response = client.post(reverse("portal:details"), details(notify_by="sms"))
    assert response.status_code == 200
    world.luis.refresh_from_db()
    assert world.luis.notify_by == "email"
