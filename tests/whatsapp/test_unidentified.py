"""*Sin identificar*: agents say who writes from an unknown number; the messages follow."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from atiende.accounts.models import Contact
from atiende.tickets.models import Ticket
from atiende.whatsapp.models import InboundState
from tests.conftest import World
from tests.factories import QueueFactory
from tests.whatsapp.factories import held_message, whatsapp_number

pytestmark = pytest.mark.django_db


def signed_in(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_list_shows_each_unknown_number_once_with_its_count(client: Client, world: World) -> None:
    held_message(world)
    held_message(world, text="¿Hay alguien?")
    response = signed_in(client, world.agente.user).get(reverse("desk:whatsapp-unidentified"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("+573009998877") == 1
    assert "Pedro Pérez" in page
    assert "2 mensajes" in page or "2 messages" in page


def test_the_list_costs_the_same_queries_however_many_numbers(
    client: Client, world: World, django_assert_max_num_queries: object
) -> None:
    for n in range(5):
        held_message(world, phone=f"+57300999887{n}")
    signed_in(client, world.agente.user)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(reverse("desk:whatsapp-unidentified")).status_code == 200


def test_an_agent_of_another_queue_does_not_see_the_numbers_messages(client: Client, world: World) -> None:
    held_message(world)
    signed_in(client, world.otro.user)
    assert "+573009998877" not in client.get(reverse("desk:whatsapp-unidentified")).content.decode()
    assert client.get(reverse("desk:whatsapp-unidentified-number", args=["573009998877"])).status_code == 404
    response = client.post(
        reverse("desk:whatsapp-unidentified-link", args=["573009998877"]), {"contact": world.carla.pk}
    )
    assert Ticket.objects.count() == 0
    assert response.status_code == 302


def test_linking_the_number_to_a_contact_files_the_messages_on_a_ticket(client: Client, world: World) -> None:
    held_message(world, text="No me abre el ERP")
    signed_in(client, world.agente.user)
    page = client.get(reverse("desk:whatsapp-unidentified-number", args=["573009998877"]), {"q": "Luis"})
    assert "No me abre el ERP" in page.content.decode()
    assert "Luis Acme" in page.content.decode()
    response = client.post(
        reverse("desk:whatsapp-unidentified-link", args=["573009998877"]), {"contact": world.luis.pk}
    )
    ticket = Ticket.objects.get()
    assert response["Location"] == reverse("desk:ticket", args=[ticket.number])
    assert ticket.requester == world.luis
    assert ticket.channel == "whatsapp"
    assert ticket.messages.get().body_text == "No me abre el ERP"
    world.luis.refresh_from_db()
    assert world.luis.whatsapp == "+573009998877"


def test_registering_a_new_contact_files_the_messages(client: Client, world: World) -> None:
    held = held_message(world)
    signed_in(client, world.supervisor.user)
    response = client.post(
        reverse("desk:whatsapp-unidentified-number", args=["573009998877"]),
        {
            "full_name": "Pedro Pérez",
            "email": "pedro@acme.test",
            "organization": world.acme.pk,
            "phone": "+573009998877",
            "language": "es",
        },
    )
    assert response.status_code == 302
    pedro = Contact.objects.get(user__email="pedro@acme.test")
    held.refresh_from_db()
    assert held.state == InboundState.FILED
    assert held.message is not None and held.message.ticket.requester == pedro


def test_a_registration_with_errors_keeps_what_was_typed(client: Client, world: World) -> None:
    held_message(world)
    signed_in(client, world.supervisor.user)
    response = client.post(
        reverse("desk:whatsapp-unidentified-number", args=["573009998877"]),
        {
            "full_name": "Pedro Pérez",
            "email": "no-es-correo",
            "organization": world.acme.pk,
            "language": "es",
        },
    )
    assert response.status_code == 400
    assert 'value="Pedro Pérez"' in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("contact", ["", "abc", "99999", "1" * 30])
def test_a_forged_contact_is_refused(client: Client, world: World, contact: str) -> None:
    held_message(world)
    signed_in(client, world.agente.user)
    url = reverse("desk:whatsapp-unidentified-link", args=["573009998877"])
    assert client.post(url, {"contact": contact}).status_code == 404
    assert not Ticket.objects.exists()


def test_a_deactivated_contact_cannot_take_the_messages(client: Client, world: World) -> None:
    held_message(world)
    world.luis.user.is_active = False
    world.luis.user.save()
    signed_in(client, world.agente.user)
    client.post(reverse("desk:whatsapp-unidentified-link", args=["573009998877"]), {"contact": world.luis.pk})
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("digits", ["abc", "+573009998877", "5730099988771234567", "0"])
def test_malformed_or_unknown_numbers_are_not_found(client: Client, world: World, digits: str) -> None:
    held_message(world)
    signed_in(client, world.agente.user)
    assert client.get(reverse("desk:whatsapp-unidentified-number", args=[digits])).status_code == 404


def test_contacts_cannot_open_the_list(client: Client, world: World) -> None:
    held_message(world)
    signed_in(client, world.ana.user)
    assert client.get(reverse("desk:whatsapp-unidentified")).status_code == 404


def test_messages_held_for_another_queues_number_stay_held(client: Client, world: World) -> None:
    other = whatsapp_number(world, name="Redes", phone_number_id="2", queue=QueueFactory.create())
    held_message(world)
    theirs = held_message(world)
    theirs.number = other
    theirs.save()
    signed_in(client, world.agente.user)
    client.post(reverse("desk:whatsapp-unidentified-link", args=["573009998877"]), {"contact": world.luis.pk})
    theirs.refresh_from_db()
    assert theirs.state == InboundState.HELD
