"""A ticket's files through the API: the same rule and the same response as the web."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from atiende.accounts.models import User
from atiende.tickets import actions
from atiende.tickets.attachments import Upload
from atiende.tickets.models import Attachment, Ticket
from tests.conftest import World
from tests.factories import open_ticket

pytestmark = pytest.mark.django_db


def as_user(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def ticket(world: World) -> Ticket:
    return open_ticket(world.luis, world.soporte, attachments=[Upload("informe.txt", b"todo en orden")])


def test_metadata_and_content_for_whoever_sees_the_ticket(world: World, ticket: Ticket) -> None:
    attachment = Attachment.objects.get(ticket=ticket)
    client = as_user(world.ana.user)
    meta = client.get(f"/api/v1/attachments/{attachment.pk}/").json()
    assert (meta["filename"], meta["ticket"], meta["size"]) == ("informe.txt", ticket.number, 13)
    response = client.get(meta["content_url"], HTTP_ACCEPT="application/octet-stream")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"todo en orden"  # type: ignore[attr-defined]
    assert response["Cache-Control"] == "private, max-age=3600"


def test_files_of_other_companies_and_queues_are_not_found(world: World, ticket: Ticket) -> None:
    attachment = Attachment.objects.get(ticket=ticket)
    for user in (world.carla.user, world.otro.user):
        client = as_user(user)
        assert client.get(f"/api/v1/attachments/{attachment.pk}/").status_code == 404
        assert client.get(f"/api/v1/attachments/{attachment.pk}/content/").status_code == 404


def test_an_internal_notes_file_stays_internal(world: World, ticket: Ticket) -> None:
    note = actions.add_note(
        world.agente.user, ticket, text="ver adjunto", attachments=[Upload("interno.txt", b"x")]
    )
    attachment = note.attachments.get()
    assert as_user(world.agente.user).get(f"/api/v1/attachments/{attachment.pk}/").status_code == 200
    assert as_user(world.luis.user).get(f"/api/v1/attachments/{attachment.pk}/content/").status_code == 404
