"""The manual's Covey prefix sets the urgency on every channel, not only by email."""

import pytest
from django.urls import reverse

from atiende.tickets import urgency
from atiende.tickets.exceptions import InvalidValue
from atiende.tickets.models import Channel, Priority, Ticket, TicketType
from tests.factories import open_ticket


@pytest.mark.parametrize(
    ("subject", "level", "rest"),
    [
        ("1_SIN INTERNET ÁREA DE SERVICIOS", 1, "SIN INTERNET ÁREA DE SERVICIOS"),
        ("2 - Cambio de clave", 2, "Cambio de clave"),
        ("3-Actualizar firma", 3, "Actualizar firma"),
        ("1 Servidor caído", 1, "Servidor caído"),
        ("4_No es Covey", None, "4_No es Covey"),
        ("12_ impresoras", None, "12_ impresoras"),
        ("Sin prefijo", None, "Sin prefijo"),
        ("1_", 1, ""),
    ],
)
def test_the_subject_names_its_level(subject, level, rest):
    assert urgency.split_subject(subject) == (level, rest)


@pytest.mark.parametrize("channel", [Channel.WEB, Channel.PHONE, Channel.API, Channel.WHATSAPP])
def test_every_channel_reads_the_prefix_and_keeps_the_summary(world, channel):
    actor = world.agente.user if channel in {Channel.PHONE, Channel.WHATSAPP} else None

    ticket = open_ticket(world.luis, world.soporte, subject="1_SIN INTERNET", channel=channel, actor=actor)

    assert (ticket.priority.covey, ticket.subject) == (1, "SIN INTERNET")


def test_a_priority_chosen_on_purpose_wins_over_the_prefix(world):
    low = Priority.objects.get(covey=3)

    ticket = open_ticket(world.luis, world.soporte, subject="1_SIN INTERNET", priority=low)

    assert (ticket.priority, ticket.subject) == (low, "SIN INTERNET")


def test_a_subject_that_is_only_a_prefix_is_refused(world):
    with pytest.raises(InvalidValue) as refused:
        open_ticket(world.luis, world.soporte, subject="1_  ")

    assert refused.value.field == "subject"


def _portal_data(world, **values):
    data = {
        "type": TicketType.objects.get(is_default=True).pk,
        "queue": world.soporte.pk,
        "service": "on-demand",
        "subject": "Sin internet",
        "text": "Detalle.",
    }
    data.update(values)
    return data


def test_the_portal_keeps_a_covey_subject_urgent_as_email_does(client, world):
    client.force_login(world.luis.user)

    client.post(reverse("portal:ticket-new"), _portal_data(world, subject="1_SIN INTERNET ÁREA DE SERVICIOS"))

    ticket = Ticket.objects.get()
    assert (ticket.priority.covey, ticket.subject) == (1, "SIN INTERNET ÁREA DE SERVICIOS")


def test_the_portal_offers_the_urgency_in_the_manuals_words(client, world):
    client.force_login(world.luis.user)

    html = client.get(reverse("portal:ticket-new")).content.decode()

    assert "Urgencia" in html
    assert "1. Muy urgente e importante" in html
    assert "2. No es urgente, pero sí importante" in html
    assert "3. No es urgente ni importante" in html


def test_the_urgency_chosen_in_the_portal_sets_the_priority(client, world):
    client.force_login(world.luis.user)

    client.post(reverse("portal:ticket-new"), _portal_data(world, urgency="2"))

    assert Ticket.objects.get().priority.covey == 2


@pytest.mark.parametrize("forged", ["9", "0", "-1", "1; DROP TABLE", "x" * 500])
def test_a_forged_urgency_is_refused_next_to_the_field_and_keeps_the_text(client, world, forged):
    client.force_login(world.luis.user)

    response = client.post(
        reverse("portal:ticket-new"), _portal_data(world, urgency=forged, text="Mi detalle")
    )

    assert response.status_code == 400
    assert "urgency" in response.context["form"].errors
    assert "Mi detalle" in response.content.decode()
    assert not Ticket.objects.exists()
