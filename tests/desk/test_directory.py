"""Companies and contacts in the desk."""

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse

from atiende.accounts.models import Contact, Organization
from atiende.outbox.models import OutboundEmail
from tests.factories import PASSWORD, open_ticket


def test_the_company_list_searches_by_name_tax_id_or_domain(client, world):
    world.globex.tax_id = "900.123.456-7"
    world.globex.save()
    client.force_login(world.agente.user)

    for query in ("globex", "900.123", "globex.test"):
        page = client.get(reverse("desk:companies"), {"q": query})
        assert list(page.context["page"].object_list) == [world.globex]


def test_the_company_page_shows_sites_contacts_and_only_tickets_the_agent_may_see(client, world):
    open_ticket(world.luis, world.soporte, subject="En mi cola")
    open_ticket(world.ana, world.redes, subject="En otra cola")
    client.force_login(world.agente.user)

    html = client.get(reverse("desk:company", args=[world.acme.pk])).content.decode()

    assert "Sede Norte" in html
    assert "Luis Acme" in html
    assert "En mi cola" in html
    assert "En otra cola" not in html


def test_a_supervisor_creates_and_edits_a_company(client, world):
    client.force_login(world.supervisor.user)

    client.post(
        reverse("desk:company-new"),
        {
            "name": "Initech",
            "tax_id": "RFC123",
            "email_domains": "@Initech.MX, initech.com",
            "phone": "",
            "address": "",
        },
    )
    company = Organization.objects.get(name="Initech")
    assert company.email_domains == "initech.mx, initech.com"
    client.post(
        reverse("desk:company-edit", args=[company.pk]), {"name": "Initech de México", "email_domains": ""}
    )
    company.refresh_from_db()
    assert company.name == "Initech de México"
    client.post(reverse("desk:company-add-site", args=[company.pk]), {"name": "Planta Monterrey"})
    assert company.locations.get().name == "Planta Monterrey"


def test_a_duplicate_company_name_is_refused_on_the_form(client, world):
    client.force_login(world.supervisor.user)

    response = client.post(reverse("desk:company-new"), {"name": "acme s.a.s."})

    assert "name" in response.context["form"].errors
    assert Organization.objects.count() == 2


def test_plain_agents_cannot_edit_companies(client, world):
    client.force_login(world.agente.user)

    assert client.get(reverse("desk:company-new")).status_code == 404
    assert client.post(reverse("desk:company-edit", args=[world.acme.pk]), {"name": "X"}).status_code == 404
    client.post(reverse("desk:company-add-site", args=[world.acme.pk]), {"name": "Bodega"})
    assert not world.acme.locations.filter(name="Bodega").exists()


def test_an_agent_creates_a_contact_who_is_invited(client, world):
    open_ticket(world.luis, world.soporte)  # Acme is a client of the agent's queue
    client.force_login(world.agente.user)

    response = client.post(
        reverse("desk:contact-new"),
        {
            "full_name": "Marta Díaz",
            "email": "marta@acme.test",
            "organization": world.acme.pk,
            "language": "es",
        },
    )

    contact = Contact.objects.get(user__email="marta@acme.test")
    assert response["Location"] == reverse("desk:contact", args=[contact.pk])
    assert OutboundEmail.objects.filter(kind="contact_invitation", to=["marta@acme.test"]).exists()
    assert not contact.memberships.get().sees_company_tickets


def test_an_agent_corrects_a_contact_of_a_company_their_queue_serves(client, world):
    open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    response = client.post(
        reverse("desk:contact-edit", args=[world.luis.pk]),
        {
            "full_name": "Luis F. Acme",
            "phone": "3105550000",
            "extension": "9",
            "area": "TI",
            "language": "en",
        },
    )

    assert response.status_code == 302
    world.luis.refresh_from_db()
    world.luis.user.refresh_from_db()
    assert (world.luis.user.full_name, world.luis.extension, world.luis.user.language) == (
        "Luis F. Acme",
        "9",
        "en",
    )
    assert world.luis.user.email == "luis@acme.test"
    assert not world.luis.memberships.get().sees_company_tickets


def test_deactivating_a_contact_blocks_sign_in_and_keeps_history(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    client.post(reverse("desk:contact-active", args=[world.luis.pk]), {"active": "0"})

    assert authenticate(email="luis@acme.test", password=PASSWORD) is None
    assert ticket.messages.exists()
    page = client.get(reverse("desk:contact", args=[world.luis.pk])).content.decode()
    assert ticket.subject in page

    client.force_login(world.supervisor.user)
    client.post(reverse("desk:contact-active", args=[world.luis.pk]), {"active": "1"})
    assert authenticate(email="luis@acme.test", password=PASSWORD) is not None


def test_an_agent_cannot_activate_a_contact_again(client, world):
    open_ticket(world.luis, world.soporte)
    world.luis.user.is_active = False
    world.luis.user.save()
    client.force_login(world.agente.user)

    page = client.get(reverse("desk:contact", args=[world.luis.pk])).content.decode()
    client.post(reverse("desk:contact-active", args=[world.luis.pk]), {"active": "1"})

    assert 'name="active" value="1"' not in page
    world.luis.user.refresh_from_db()
    assert not world.luis.user.is_active


def test_the_invitation_can_be_sent_again_from_the_contact_page(client, world):
    open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    client.post(reverse("desk:contact-invite", args=[world.luis.pk]))

    assert OutboundEmail.objects.filter(kind="contact_invitation", to=["luis@acme.test"]).count() == 1


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("desk:companies"),
        lambda w: reverse("desk:company", args=[w.acme.pk]),
        lambda w: reverse("desk:contacts"),
        lambda w: reverse("desk:contact", args=[w.luis.pk]),
        lambda w: reverse("desk:contact-new"),
        lambda w: reverse("desk:contact-edit", args=[w.luis.pk]),
    ],
)
def test_contacts_get_404_on_every_directory_page(client, world, url):
    client.force_login(world.ana.user)

    assert client.get(url(world)).status_code == 404
    assert (
        client.post(reverse("desk:contact-active", args=[world.luis.pk]), {"active": "0"}).status_code == 404
    )
    world.luis.user.refresh_from_db()
    assert world.luis.user.is_active


def test_the_contact_list_searches_by_company(client, world):
    client.force_login(world.agente.user)

    page = client.get(reverse("desk:contacts"), {"q": "globex"})

    assert set(page.context["page"].object_list) == {world.carla, world.sofia}
