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


# --- agents stay inside their queues ------------------------------------------------------
#
# The reproduced attack: an agent of one queue registered, from the desk, a contact with an
# address of their own and the company view in a client served by another queue, signed in
# to the portal as that contact and read every ticket of the company.


def _new_contact(world, **values):
    data = {
        "full_name": "Alguien",
        "email": "atacante@evil.test",
        "organization": world.acme.pk,
        "language": "es",
        "sees_company_tickets": "on",
    }
    data.update(values)
    return data


def _edit(contact, **values):
    data = {
        "full_name": contact.user.full_name,
        "phone": contact.phone,
        "extension": contact.extension,
        "area": contact.area,
        "language": contact.user.language,
    }
    data.update(values)
    return data


@pytest.mark.parametrize("email", ["atacante@evil.test", "nuevo@acme.test"])
def test_an_agent_cannot_register_a_company_wide_contact_in_a_company_only_another_queue_serves(
    client, world, email
):
    open_ticket(world.luis, world.soporte)  # Acme is Soporte's client; Otro works Redes
    client.force_login(world.otro.user)

    response = client.post(reverse("desk:contact-new"), _new_contact(world, email=email))

    assert "organization" in response.context["form"].errors
    assert not Contact.objects.filter(user__email=email).exists()
    assert not OutboundEmail.objects.filter(kind="contact_invitation").exists()


def test_an_agent_of_the_serving_queue_cannot_grant_the_company_view_to_a_new_contact(client, world):
    open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    response = client.post(reverse("desk:contact-new"), _new_contact(world, email="nuevo@acme.test"))

    assert "sees_company_tickets" in response.context["form"].errors
    assert not Contact.objects.filter(user__email="nuevo@acme.test").exists()


@pytest.mark.parametrize("company", ["acme", "globex"])
def test_an_agent_cannot_give_an_account_to_an_address_outside_the_companys_domains(client, world, company):
    # Globex lets every contact see its tickets: an address of the agent's there would be the attack itself.
    open_ticket(world.luis, world.soporte)
    open_ticket(world.carla, world.soporte)
    client.force_login(world.agente.user)
    organization = getattr(world, company)

    response = client.post(
        reverse("desk:contact-new"),
        _new_contact(world, organization=organization.pk, sees_company_tickets=""),
    )

    assert "email" in response.context["form"].errors
    assert not Contact.objects.filter(user__email="atacante@evil.test").exists()


def test_an_agent_cannot_give_accounts_in_a_company_without_email_domains(client, world):
    world.acme.email_domains = ""
    world.acme.save()
    open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    response = client.post(
        reverse("desk:contact-new"), _new_contact(world, email="nuevo@acme.test", sees_company_tickets="")
    )

    assert "email" in response.context["form"].errors
    assert not Contact.objects.filter(user__email="nuevo@acme.test").exists()


def test_an_agent_cannot_grant_the_company_view_by_a_hostile_post_on_edit(client, world):
    open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    response = client.post(
        reverse("desk:contact-edit", args=[world.luis.pk]), _edit(world.luis, sees_company_tickets="on")
    )

    assert "sees_company_tickets" in response.context["form"].errors
    assert not world.luis.memberships.get().sees_company_tickets


def test_an_agent_cannot_change_a_contacts_email_to_take_the_account(client, world):
    open_ticket(world.ana, world.soporte)
    client.force_login(world.agente.user)

    response = client.post(
        reverse("desk:contact-edit", args=[world.ana.pk]),
        _edit(world.ana, email="agente.personal@gmail.test"),
    )
    client.post(reverse("desk:contact-invite", args=[world.ana.pk]))

    assert "email" in response.context["form"].errors
    world.ana.user.refresh_from_db()
    assert world.ana.user.email == "ana@acme.test"
    assert not OutboundEmail.objects.filter(to=["agente.personal@gmail.test"]).exists()


def test_the_edit_form_shows_the_email_and_the_company_view_disabled_to_agents(client, world):
    open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    form = client.get(reverse("desk:contact-edit", args=[world.luis.pk])).context["form"]

    assert form.fields["email"].disabled
    assert form.fields["sees_company_tickets"].disabled
    assert not form.fields["full_name"].disabled


def test_an_agent_of_another_queue_cannot_edit_invite_or_deactivate_the_companys_contacts(client, world):
    open_ticket(world.luis, world.soporte)
    client.force_login(world.otro.user)

    page = client.get(reverse("desk:contact", args=[world.luis.pk])).content.decode()
    company = client.get(reverse("desk:company", args=[world.acme.pk])).content.decode()
    edit = client.get(reverse("desk:contact-edit", args=[world.luis.pk]))
    edited = client.post(reverse("desk:contact-edit", args=[world.luis.pk]), _edit(world.luis, full_name="X"))
    invited = client.post(reverse("desk:contact-invite", args=[world.luis.pk]))
    deactivated = client.post(reverse("desk:contact-active", args=[world.luis.pk]), {"active": "0"})

    assert (edit.status_code, edited.status_code, invited.status_code, deactivated.status_code) == (404,) * 4
    assert reverse("desk:contact-edit", args=[world.luis.pk]) not in page
    assert reverse("desk:contact-new") not in company
    world.luis.user.refresh_from_db()
    assert (world.luis.user.full_name, world.luis.user.is_active) == ("Luis Acme", True)
    assert not OutboundEmail.objects.filter(kind="contact_invitation").exists()


def test_an_agent_cannot_send_an_invitation_outside_the_companys_domains(client, world):
    from atiende.accounts.invitations import create_contact

    outsider = create_contact(
        world.supervisor.user, email="consultor@gmail.test", full_name="Consultor", organization=world.acme
    )
    OutboundEmail.objects.all().delete()
    open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    client.post(reverse("desk:contact-invite", args=[outsider.pk]))

    assert not OutboundEmail.objects.filter(kind="contact_invitation").exists()


def test_the_new_contact_form_offers_an_agent_only_the_companies_their_queues_serve(client, world):
    open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    form = client.get(reverse("desk:contact-new")).context["form"]

    assert list(form.fields["organization"].queryset) == [world.acme]
    assert form.fields["sees_company_tickets"].disabled
    assert not form.fields["email"].disabled


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_supervisors_and_admins_register_company_wide_contacts_with_any_address(client, world, who):
    client.force_login(getattr(world, who).user)

    response = client.post(reverse("desk:contact-new"), _new_contact(world, email="consultor@gmail.test"))

    contact = Contact.objects.get(user__email="consultor@gmail.test")
    assert response["Location"] == reverse("desk:contact", args=[contact.pk])
    assert contact.memberships.get(organization=world.acme).sees_company_tickets
    assert OutboundEmail.objects.filter(kind="contact_invitation", to=["consultor@gmail.test"]).exists()


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_supervisors_and_admins_change_a_contacts_email_and_company_view(client, world, who):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=world.luis.user, email="luis@acme.test", primary=True)
    client.force_login(getattr(world, who).user)

    response = client.post(
        reverse("desk:contact-edit", args=[world.luis.pk]),
        _edit(world.luis, email="Luis.Nuevo@Acme.test", sees_company_tickets="on"),
    )

    assert response.status_code == 302
    world.luis.user.refresh_from_db()
    assert world.luis.user.email == "luis.nuevo@acme.test"
    assert world.luis.memberships.get().sees_company_tickets
    # the old address no longer leads to the account (allauth's reset looks here too)
    assert not EmailAddress.objects.filter(email__iexact="luis@acme.test").exists()


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_supervisors_and_admins_keep_any_contact(client, world, who):
    world.carla.user.is_active = False
    world.carla.user.save()
    client.force_login(getattr(world, who).user)

    client.post(reverse("desk:contact-active", args=[world.carla.pk]), {"active": "1"})
    client.post(reverse("desk:contact-invite", args=[world.carla.pk]))

    world.carla.user.refresh_from_db()
    assert world.carla.user.is_active
    assert OutboundEmail.objects.filter(kind="contact_invitation", to=["carla@globex.test"]).exists()


def test_a_supervisor_cannot_give_a_contact_an_address_already_in_use(client, world):
    client.force_login(world.supervisor.user)

    response = client.post(
        reverse("desk:contact-edit", args=[world.luis.pk]), _edit(world.luis, email="ANA@acme.test")
    )

    assert "email" in response.context["form"].errors
    world.luis.user.refresh_from_db()
    assert world.luis.user.email == "luis@acme.test"


def test_the_actions_refuse_a_plain_agent_whatever_surface_calls_them(world):
    from atiende.accounts import directory
    from atiende.accounts.invitations import create_contact, invite_contact
    from atiende.errors import DomainError, NotAllowed

    outsider = create_contact(
        world.supervisor.user, email="consultor@gmail.test", full_name="Consultor", organization=world.acme
    )
    world.carla.user.is_active = False
    world.carla.user.save()
    attempts = [
        lambda: create_contact(
            world.agente.user,
            email="nuevo@acme.test",
            full_name="Nuevo",
            organization=world.acme,
            sees_company_tickets=True,
        ),
        lambda: create_contact(
            world.agente.user, email="atacante@evil.test", full_name="Atacante", organization=world.globex
        ),
        lambda: directory.update_contact(
            world.agente.user, world.luis, full_name="Luis", phone="", extension="", area="", language="es",
            sees_company_tickets=True,
        ),
        lambda: directory.update_contact(
            world.agente.user, world.luis, full_name="Luis", phone="", extension="", area="", language="es",
            email="atacante@evil.test",
        ),
        lambda: directory.set_contact_active(world.agente.user, world.carla, active=True),
        lambda: invite_contact(world.agente.user, outsider),
    ]  # fmt: skip

    for attempt in attempts:
        with pytest.raises(DomainError):
            attempt()

    with pytest.raises(NotAllowed):
        directory.set_contact_active(world.agente.user, world.carla, active=True)
    world.luis.user.refresh_from_db()
    assert world.luis.user.email == "luis@acme.test"
    assert not world.luis.memberships.get().sees_company_tickets
    assert not Contact.objects.filter(user__email__in=["nuevo@acme.test", "atacante@evil.test"]).exists()


def test_a_contact_an_agent_registered_sees_no_ticket_of_the_company_in_the_portal(client, world):
    """The attack end to end: whatever an agent of Redes registers in Acme, signing in as
    that contact shows none of Acme's tickets (neither Soporte's nor Redes')."""
    soporte = open_ticket(world.luis, world.soporte, subject="Servidor de nómina caído")
    redes = open_ticket(world.ana, world.redes, subject="Switch del piso 3")  # Acme is also Redes' client
    client.force_login(world.otro.user)

    refused = client.post(reverse("desk:contact-new"), _new_contact(world))  # the original attack
    registered = client.post(
        reverse("desk:contact-new"), _new_contact(world, email="nuevo@acme.test", sees_company_tickets="")
    )

    assert not Contact.objects.filter(user__email="atacante@evil.test").exists()
    assert refused.status_code == 200
    assert registered.status_code == 302
    contact = Contact.objects.get(user__email="nuevo@acme.test")
    client.force_login(contact.user)
    listing = client.get(reverse("portal:tickets")).content.decode()
    for ticket in (soporte, redes):
        assert ticket.subject not in listing
        assert client.get(reverse("portal:ticket-detail", args=[ticket.number])).status_code == 404
    assert client.get(reverse("portal:company-tickets")).status_code == 404
