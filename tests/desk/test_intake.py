"""Phone and WhatsApp intake (channel C of the manual)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from atiende.accounts.models import Contact
from atiende.outbox.models import OutboundEmail
from atiende.tickets.models import Channel, Ticket, TicketType


def _ticket_data(world, **values):
    data = {
        "channel": "phone",
        "type": TicketType.objects.get(is_default=True).pk,
        "queue": world.soporte.pk,
        "service": "on-demand",
        "subject": "No imprime la multifuncional",
        "text": "Llamó a las 9:10: la multifuncional del piso 2 muestra error E-204.",
    }
    data.update(values)
    return data


@pytest.mark.parametrize(("query", "found"), [("luis", True), ("LUIS@ACME", True), ("carla", False)])
def test_the_agent_finds_the_caller_by_name_or_email(client, world, query, found):
    client.force_login(world.agente.user)

    page = client.get(reverse("desk:intake"), {"q": query})

    assert (world.luis in list(page.context["results"])) is found


def test_the_agent_finds_the_caller_by_phone_digits(client, world):
    world.carla.phone = "+57 (601) 555-0142"
    world.carla.save()
    client.force_login(world.agente.user)

    page = client.get(reverse("desk:intake"), {"q": "5550142"})

    assert list(page.context["results"]) == [world.carla]


def test_a_phone_ticket_is_registered_in_the_callers_name(client, world):
    client.force_login(world.agente.user)

    response = client.post(
        reverse("desk:intake-ticket", args=[world.luis.pk]),
        {**_ticket_data(world), "attachments": [SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff")]},
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert (ticket.requester, ticket.created_by, ticket.channel) == (
        world.luis,
        world.agente.user,
        Channel.PHONE,
    )
    assert ticket.attachments.get().filename == "foto.jpg"
    confirmation = OutboundEmail.objects.get(kind="ticket_opened")
    assert confirmation.to == ["luis@acme.test"]
    assert "Agente Soporte registró su solicitud (Teléfono)" in confirmation.body_text


def test_a_whatsapp_ticket_for_a_contact_of_two_companies_goes_to_the_chosen_one(client, world):
    client.force_login(world.agente.user)

    client.post(
        reverse("desk:intake-ticket", args=[world.sofia.pk]),
        _ticket_data(world, channel="whatsapp", company=world.globex.pk),
    )

    ticket = Ticket.objects.get()
    assert (ticket.organization, ticket.channel) == (world.globex, Channel.WHATSAPP)


def test_missing_fields_are_reported_and_nothing_is_created(client, world):
    client.force_login(world.agente.user)

    response = client.post(
        reverse("desk:intake-ticket", args=[world.luis.pk]), _ticket_data(world, subject="")
    )

    assert response.status_code == 400
    assert "subject" in response.context["form"].errors
    assert "error E-204" in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_new_caller_is_registered_invited_and_then_gets_the_ticket(client, world):
    client.force_login(world.agente.user)

    response = client.post(
        reverse("desk:intake"),
        {
            "full_name": "Pedro Nuevo",
            "email": "pedro@acme.test",
            "organization": world.acme.pk,
            "language": "es",
        },
    )

    contact = Contact.objects.get(user__email="pedro@acme.test")
    assert response["Location"] == reverse("desk:intake-ticket", args=[contact.pk])
    assert OutboundEmail.objects.filter(kind="contact_invitation", to=["pedro@acme.test"]).exists()
    client.post(response["Location"], _ticket_data(world))
    assert Ticket.objects.get().requester == contact


def test_registering_an_existing_email_says_so(client, world):
    client.force_login(world.agente.user)

    response = client.post(
        reverse("desk:intake"),
        {"full_name": "Luis", "email": "luis@acme.test", "organization": world.acme.pk, "language": "es"},
    )

    assert response.status_code == 400
    assert "email" in response.context["contact_form"].errors


@pytest.mark.parametrize("who", ["luis", "carla"])
def test_contacts_cannot_use_the_intake(client, world, who):
    client.force_login(getattr(world, who).user)

    assert client.get(reverse("desk:intake")).status_code == 404
    assert (
        client.post(reverse("desk:intake-ticket", args=[world.luis.pk]), _ticket_data(world)).status_code
        == 404
    )
    assert not Ticket.objects.exists()


def test_a_deactivated_contact_cannot_be_given_tickets(client, world):
    world.luis.user.is_active = False
    world.luis.user.save()
    client.force_login(world.agente.user)

    assert client.get(reverse("desk:intake-ticket", args=[world.luis.pk])).status_code == 404
