"""Phone and WhatsApp intake (channel C of the manual)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from atiende.accounts.invitations import create_contact
from atiende.accounts.models import Contact
from atiende.outbox.models import OutboundEmail
from atiende.outbox.outbox import render_queued
from atiende.tickets.models import Channel, Ticket, TicketType
from tests.factories import open_ticket


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
    render_queued(confirmation)  # what the worker that sends it does
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
    open_ticket(world.luis, world.soporte)  # Acme is a client of the agent's queue
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
    assert Ticket.objects.latest("pk").requester == contact


def test_registering_an_existing_email_says_so(client, world):
    open_ticket(world.luis, world.soporte)
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


def _caller(world, **values):
    data = {
        "full_name": "Pedro Nuevo",
        "email": "pedro@acme.test",
        "organization": world.acme.pk,
        "language": "es",
    }
    data.update(values)
    return data


def test_an_agent_cannot_register_a_caller_for_a_company_their_queues_do_not_serve(client, world):
    open_ticket(world.luis, world.soporte)  # Acme is Soporte's client, not Redes'
    client.force_login(world.otro.user)

    response = client.post(reverse("desk:intake"), _caller(world, sees_company_tickets="on"))

    assert response.status_code == 400
    assert "organization" in response.context["contact_form"].errors
    assert not Contact.objects.filter(user__email="pedro@acme.test").exists()


def test_a_caller_registered_by_an_agent_never_gets_the_company_view(client, world):
    open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    response = client.post(reverse("desk:intake"), _caller(world, sees_company_tickets="on"))

    assert response.status_code == 400
    assert "sees_company_tickets" in response.context["contact_form"].errors
    assert not Contact.objects.filter(user__email="pedro@acme.test").exists()


@pytest.mark.parametrize("email", ["agente.personal@gmail.test", "pedro@acme.test.evil.test", "pedro@ACME"])
def test_an_agent_registers_callers_only_with_an_address_of_the_companys_domains(client, world, email):
    open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    response = client.post(reverse("desk:intake"), _caller(world, email=email))

    assert response.status_code == 400
    assert "email" in response.context["contact_form"].errors
    assert not OutboundEmail.objects.filter(kind="contact_invitation").exists()
    assert Contact.objects.count() == 4


def test_the_intake_offers_an_agent_only_the_companies_their_queues_serve(client, world):
    open_ticket(world.carla, world.redes)
    client.force_login(world.otro.user)

    page = client.get(reverse("desk:intake"))

    assert list(page.context["contact_form"].fields["organization"].queryset) == [world.globex]
    assert page.context["contact_form"].fields["sees_company_tickets"].disabled


def test_the_intake_tells_an_agent_whose_queues_serve_nobody_yet_to_ask_a_supervisor(client, world):
    world.otro.user.language = "en"
    world.otro.user.save()
    client.force_login(world.otro.user)

    page = client.get(reverse("desk:intake")).content.decode()

    assert "ask a supervisor to register the caller" in page


def test_a_supervisor_registers_any_caller_with_the_company_view(client, world):
    client.force_login(world.supervisor.user)

    response = client.post(
        reverse("desk:intake"), _caller(world, email="pedro@gmail.test", sees_company_tickets="on")
    )

    contact = Contact.objects.get(user__email="pedro@gmail.test")
    assert response["Location"] == reverse("desk:intake-ticket", args=[contact.pk])
    assert contact.memberships.get(organization=world.acme).sees_company_tickets


# --- callers without email, addresses outside the company, other teams' queues ------------


def test_a_whatsapp_caller_without_email_is_registered_and_nothing_is_emailed_to_them(
    client, world, django_capture_on_commit_callbacks
):
    open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("desk:intake"), _caller(world, email="", whatsapp="300 123 4567"))
    contact = Contact.objects.get(user__full_name="Pedro Nuevo")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], _ticket_data(world, channel="whatsapp"))

    assert response["Location"] == reverse("desk:intake-ticket", args=[contact.pk])
    assert (contact.whatsapp, contact.notify_by) == ("+573001234567", "whatsapp")
    assert not contact.user.has_email
    assert not contact.user.has_usable_password()
    assert Ticket.objects.latest("pk").requester == contact
    assert not OutboundEmail.objects.filter(to=[contact.user.email]).exists()
    assert not OutboundEmail.objects.filter(kind="contact_invitation").exists()
    page = client.get(reverse("desk:intake"), {"q": "4567"}).content.decode()
    assert "Pedro Nuevo" in page
    assert "sin-correo.invalid" not in page


def test_a_caller_with_a_phone_and_no_email_is_registered(client, world):
    open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    client.post(reverse("desk:intake"), _caller(world, email="", phone="601 555 0199"))

    contact = Contact.objects.get(user__full_name="Pedro Nuevo")
    assert (contact.phone, contact.notify_by, contact.user.has_email) == ("601 555 0199", "email", False)


@pytest.mark.parametrize(
    "values",
    [
        {"email": ""},
        {"email": "", "whatsapp": "12"},
        {"email": "pedro@x.invalid"},
        {"email": "", "whatsapp": "x" * 41},
    ],
)
def test_a_caller_needs_an_email_or_a_number_that_works_and_nothing_typed_is_lost(client, world, values):
    open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    response = client.post(reverse("desk:intake"), _caller(world, area="Contabilidad", **values))

    assert response.status_code == 400
    assert response.context["contact_form"].errors
    assert 'value="Contabilidad"' in response.content.decode()
    assert Contact.objects.count() == 4


def test_a_supervisor_is_warned_when_the_address_is_not_of_the_companys_domains(client, world):
    client.force_login(world.supervisor.user)

    response = client.post(reverse("desk:intake"), _caller(world, email="pedro@gmail.test"), follow=True)

    assert Contact.objects.filter(user__email="pedro@gmail.test").exists()
    page = response.content.decode()
    assert "pedro@gmail.test no es una dirección de Acme S.A.S. (acme.test)" in page


def test_no_warning_for_an_address_of_the_companys_domains(client, world):
    client.force_login(world.supervisor.user)

    response = client.post(reverse("desk:intake"), _caller(world), follow=True)

    assert "no es una dirección de" not in response.content.decode()


def test_a_ticket_for_another_teams_queue_ends_on_a_confirmation_that_shows_nothing_more(client, world):
    client.force_login(world.agente.user)  # Soporte only

    response = client.post(
        reverse("desk:intake-ticket", args=[world.luis.pk]), _ticket_data(world, queue=world.redes.pk)
    )

    ticket = Ticket.objects.get()
    assert ticket.queue == world.redes
    assert response["Location"] == reverse("desk:intake-registered", args=[ticket.number])
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert f"#{ticket.number} registrado en <em>Redes</em>" in html
    assert "Le avisaremos a Luis por correo" in html
    assert "error E-204" not in html
    assert "No imprime la multifuncional" not in html
    assert client.get(reverse("desk:ticket", args=[ticket.number])).status_code == 404


def test_a_ticket_in_the_agents_own_queue_opens_the_ticket(client, world):
    client.force_login(world.agente.user)

    response = client.post(reverse("desk:intake-ticket", args=[world.luis.pk]), _ticket_data(world))

    ticket = Ticket.objects.get()
    assert response["Location"] == reverse("desk:ticket", args=[ticket.number])
    assert (
        client.get(reverse("desk:intake-registered", args=[ticket.number]))["Location"]
        == response["Location"]
    )


@pytest.mark.parametrize("who", ["otro", "supervisor", "luis"])
def test_the_confirmation_is_only_for_the_agent_who_registered_the_ticket(client, world, who):
    client.force_login(world.agente.user)
    client.post(
        reverse("desk:intake-ticket", args=[world.luis.pk]), _ticket_data(world, queue=world.redes.pk)
    )
    number = Ticket.objects.get().number
    person = world.luis if who == "luis" else getattr(world, who)
    client.force_login(person.user)

    assert client.get(reverse("desk:intake-registered", args=[number])).status_code == 404


@pytest.mark.parametrize("number", [999, 2**31, 10**30])
def test_the_confirmation_of_a_missing_or_oversized_number_is_not_found(client, world, number):
    client.force_login(world.agente.user)

    assert client.get(f"/desk/intake/registered/{number}/").status_code == 404


def test_the_confirmation_says_when_the_caller_has_no_way_to_be_told(client, world):
    world.luis.user.email = "tel-abc@sin-correo.invalid"
    world.luis.user.save()
    client.force_login(world.agente.user)

    response = client.post(
        reverse("desk:intake-ticket", args=[world.luis.pk]),
        _ticket_data(world, queue=world.redes.pk),
        follow=True,
    )

    number = Ticket.objects.get().number
    assert f"Luis no tiene correo ni WhatsApp: dele ahora el número #{number}" in response.content.decode()


def test_the_reserved_address_of_a_caller_without_email_is_shown_nowhere(
    client, world, django_capture_on_commit_callbacks
):
    caller = create_contact(
        world.supervisor.user,
        email="",
        full_name="Efraín Sin Correo",
        organization=world.acme,
        whatsapp="+57 318 555 0191",
    )
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(caller, world.soporte, subject="La cámara no graba")
    client.force_login(world.agente.user)
    pages = {
        "workspace": reverse("desk:ticket", args=[ticket.number]),
        "contact": reverse("desk:contact", args=[caller.pk]),
        "contacts": reverse("desk:contacts"),
        "company": reverse("desk:company", args=[world.acme.pk]),
    }
    for name, url in pages.items():
        page = client.get(url).content.decode()
        assert "Efraín Sin Correo" in page, name
        assert "sin-correo.invalid" not in page, name
    workspace = client.get(pages["workspace"]).content.decode()
    assert "El solicitante no tiene correo electrónico: no se le envía nada por correo." in workspace

    client.force_login(world.ana.user)  # sees every Acme ticket
    portal = client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode()
    assert "Efraín Sin Correo" in portal
    assert "sin-correo.invalid" not in portal
    assert not OutboundEmail.objects.filter(to=[caller.user.email]).exists()
    notices = OutboundEmail.objects.filter(ticket_number=ticket.number)
    assert notices.exists()
    assert all("sin-correo.invalid" not in notice.body_text for notice in notices)


def test_a_supervisor_edits_a_caller_without_email_and_may_give_them_an_address_later(client, world):
    caller = create_contact(
        world.supervisor.user,
        email="",
        full_name="Efraín Sin Correo",
        organization=world.acme,
        phone="3185550191",
    )
    reserved = caller.user.email
    client.force_login(world.supervisor.user)
    edit = reverse("desk:contact-edit", args=[caller.pk])
    form = {"full_name": "Efraín Gutiérrez", "email": "", "phone": "3185550191", "language": "es"}

    assert "sin-correo.invalid" not in client.get(edit).content.decode()
    assert client.post(edit, form).status_code == 302
    caller.user.refresh_from_db()
    assert (caller.user.full_name, caller.user.email) == ("Efraín Gutiérrez", reserved)

    assert client.post(edit, {**form, "email": "efrain@acme.test"}).status_code == 302
    caller.user.refresh_from_db()
    assert caller.user.email == "efrain@acme.test" and caller.user.has_email
