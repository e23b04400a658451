"""A resolved ticket asks the contact whether it was; the page names who attends it and
the stages it went through, in the same words as the badges and the filters."""

import pytest
from django.urls import reverse

from atiende.tickets import actions
from atiende.tickets.models import Channel, Status, StatusKind
from tests.factories import open_ticket


@pytest.fixture
def resolved(world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.assign_ticket(world.agente.user, ticket, world.agente)
    actions.change_status(
        world.agente.user, ticket, Status.objects.get(kind=StatusKind.RESOLVED, is_default=True)
    )
    ticket.refresh_from_db()
    return ticket


def _page(client, ticket):
    return client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode()


def test_a_resolved_ticket_asks_the_requester_if_it_was(client, world, resolved):
    client.force_login(world.luis.user)

    html = _page(client, resolved)

    assert "¿Se resolvió su solicitud?" in html
    assert "Sí, cerrar" in html
    assert "No, sigue el problema" in html


def test_yes_closes_the_ticket(client, world, resolved):
    client.force_login(world.luis.user)

    response = client.post(
        reverse("portal:ticket-resolution", args=[resolved.number]), {"answer": "yes"}, follow=True
    )

    resolved.refresh_from_db()
    assert resolved.status.kind == StatusKind.CLOSED
    assert f"El ticket #{resolved.number} quedó cerrado" in response.content.decode()


def test_no_leads_to_the_reply_whose_text_reopens_the_ticket(client, world, resolved):
    client.force_login(world.luis.user)

    response = client.post(reverse("portal:ticket-resolution", args=[resolved.number]), {"answer": "no"})
    client.post(reverse("portal:ticket-reply", args=[resolved.number]), {"text": "Sigue sin internet."})

    assert response["Location"].endswith("#reply-title")
    resolved.refresh_from_db()
    assert resolved.status.kind == StatusKind.OPEN


def test_an_open_ticket_neither_asks_nor_closes_on_a_forged_yes(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(world.luis.user)

    client.post(reverse("portal:ticket-resolution", args=[ticket.number]), {"answer": "yes"})

    ticket.refresh_from_db()
    assert ticket.status.kind == StatusKind.NEW
    assert "¿Se resolvió su solicitud?" not in _page(client, ticket)


def test_a_colleague_who_sees_the_ticket_is_not_asked_and_cannot_close_it(client, world, resolved):
    client.force_login(world.ana.user)

    html = _page(client, resolved)
    client.post(reverse("portal:ticket-resolution", args=[resolved.number]), {"answer": "yes"})

    assert "¿Se resolvió su solicitud?" not in html
    resolved.refresh_from_db()
    assert resolved.status.kind == StatusKind.RESOLVED


def test_another_companys_contact_gets_a_404(client, world, resolved):
    client.force_login(world.carla.user)

    response = client.post(reverse("portal:ticket-resolution", args=[resolved.number]), {"answer": "yes"})

    assert response.status_code == 404
    resolved.refresh_from_db()
    assert resolved.status.kind == StatusKind.RESOLVED


def test_the_page_names_the_engineer_and_the_stages_in_the_badges_words(client, world, resolved):
    client.force_login(world.luis.user)

    html = _page(client, resolved)

    assert "Atendido por" in html
    assert "Agente Soporte" in html
    stages = [
        stage.name
        for stage in client.get(reverse("portal:ticket-detail", args=[resolved.number])).context["stages"]
    ]
    resolved_status = Status.objects.get(kind=StatusKind.RESOLVED, is_default=True)
    assert stages[0] == Status.objects.get(kind=StatusKind.NEW, is_default=True).portal_name
    assert stages[-1] == resolved_status.portal_name


def test_an_unassigned_ticket_names_its_team(client, world):
    ticket = open_ticket(world.luis, world.soporte, channel=Channel.WEB)
    client.force_login(world.luis.user)

    assert "Aún sin asignar: el equipo de Soporte" in _page(client, ticket)


def test_the_stage_filter_uses_the_badges_words(client, world):
    pending = Status.objects.get(kind=StatusKind.PENDING, is_default=True)
    client.force_login(world.ana.user)

    html = client.get(reverse("portal:search")).content.decode()

    assert f">{pending.portal_name}</option>" in html
