"""Every portal URL that names a ticket or a file answers 404 to people who may not see
it: a contact of another company, and a colleague without the company-wide view."""

import pytest
from django.urls import reverse

from atiende.tickets import actions
from atiende.tickets.attachments import Upload
from atiende.tickets.models import Channel
from tests.factories import open_ticket


@pytest.fixture
def acme_ticket(world):
    """Ana's ticket at Acme, with a public file and a file on an internal note."""
    ticket = open_ticket(
        world.ana, world.soporte, subject="Confidencial de Acme", attachments=[Upload("plano.pdf", b"%PDF-1")]
    )
    actions.add_note(world.agente.user, ticket, text="nota", attachments=[Upload("interno.txt", b"secreto")])
    return ticket


def _ticket_urls(ticket):
    return [
        ("get", reverse("portal:ticket-detail", args=[ticket.number])),
        ("get", reverse("portal:ticket-edit", args=[ticket.number])),
        ("post", reverse("portal:ticket-reply", args=[ticket.number])),
        ("post", reverse("portal:ticket-edit", args=[ticket.number])),
    ]


def _file_url(ticket, name):
    attachment = ticket.attachments.get(filename=name)
    return reverse("attachment", args=[attachment.pk, attachment.filename])


@pytest.mark.parametrize("who", ["carla", "luis"])
def test_people_who_may_not_see_a_ticket_get_404_on_each_of_its_urls(client, world, acme_ticket, who):
    client.force_login(getattr(world, who).user)

    for method, url in [*_ticket_urls(acme_ticket), ("get", _file_url(acme_ticket, "plano.pdf"))]:
        response = getattr(client, method)(
            url, {"text": "hola", "subject": "x"} if method == "post" else None
        )
        assert response.status_code == 404, (method, url, response.status_code)
    assert acme_ticket.messages.count() == 2


def test_a_contact_never_downloads_an_internal_notes_file(client, world, acme_ticket):
    client.force_login(world.ana.user)

    assert client.get(_file_url(acme_ticket, "plano.pdf")).status_code == 200
    assert client.get(_file_url(acme_ticket, "interno.txt")).status_code == 404


def test_agents_of_the_queue_download_note_files_and_others_do_not(client, world, acme_ticket):
    client.force_login(world.agente.user)
    assert client.get(_file_url(acme_ticket, "interno.txt")).status_code == 200

    client.force_login(world.otro.user)
    assert client.get(_file_url(acme_ticket, "interno.txt")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_from_every_url(client, world, acme_ticket):
    for _method, url in [*_ticket_urls(acme_ticket), ("get", _file_url(acme_ticket, "plano.pdf"))]:
        response = client.get(url)
        assert response.status_code in {302, 405}
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["portal:tickets", "portal:company-tickets", "portal:search"])
def test_lists_search_and_exports_never_show_another_companys_tickets(client, world, acme_ticket, name):
    open_ticket(world.carla, world.soporte, subject="Confidencial de Globex")
    client.force_login(world.carla.user)

    for params in ({}, {"q": "confidencial"}, {"q": str(acme_ticket.number)}, {"state": "all"}):
        html = client.get(reverse(name), params).content.decode()
        assert "Confidencial de Acme" not in html
    export = client.get(reverse(name), {"export": "csv", "state": "all"}).content.decode("utf-8-sig")
    assert "Confidencial de Acme" not in export
    assert "Confidencial de Globex" in export


def test_a_contact_without_company_view_finds_only_their_own_tickets(client, world, acme_ticket):
    open_ticket(world.luis, world.soporte, subject="Confidencial de Luis")
    client.force_login(world.luis.user)

    html = client.get(reverse("portal:search"), {"q": "confidencial"}).content.decode()

    assert "Confidencial de Luis" in html
    assert "Confidencial de Acme" not in html


def test_a_contact_of_two_companies_sees_each_company_only_while_working_with_it(client, world, acme_ticket):
    client.force_login(world.sofia.user)
    globex_ticket = open_ticket(world.carla, world.redes, subject="De Globex")

    assert client.get(reverse("portal:ticket-detail", args=[globex_ticket.number])).status_code == 200
    html = client.get(reverse("portal:company-tickets"), follow=True)
    assert html.status_code in {200, 404}
    assert "Confidencial de Acme" not in html.content.decode()


def test_an_agent_cannot_use_the_portal_pages(client, world, acme_ticket):
    client.force_login(world.agente.user)

    assert client.get(reverse("portal:ticket-detail", args=[acme_ticket.number])).status_code == 404
    assert (
        client.post(reverse("portal:ticket-reply", args=[acme_ticket.number]), {"text": "x"}).status_code
        == 404
    )
    assert acme_ticket.messages.filter(channel=Channel.WEB).count() == 2
