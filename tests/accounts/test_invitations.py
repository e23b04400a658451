import re

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.urls import reverse

from atiende.accounts.invitations import create_contact, invite_contact
from atiende.accounts.models import Contact
from atiende.errors import InvalidValue, NotAllowed
from atiende.outbox.models import OutboundEmail


def _link(body: str) -> str:
    found = re.search(r"https?://\S+/accounts/password/reset/key/\S+", body)
    assert found, body
    return found[0].split("testserver", 1)[-1].replace("http://127.0.0.1:8000", "")


def test_an_agent_creates_a_contact_who_gets_a_link_to_choose_a_password(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = create_contact(
            world.agente.user, email="Nuevo@Acme.test", full_name="Nuevo Usuario", organization=world.acme
        )

    assert contact.user.email == "nuevo@acme.test"
    assert not contact.user.has_usable_password()
    assert contact.memberships.get().organization == world.acme
    sent = mail.outbox[0]
    assert sent.to == ["nuevo@acme.test"]
    assert "contraseña" in sent.body
    assert "atiende-demo" not in sent.body

    link = _link(str(sent.body))
    page = client.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    client.post(form_url, {"password1": "Un4-clave-nueva!", "password2": "Un4-clave-nueva!"})
    assert authenticate(email="nuevo@acme.test", password="Un4-clave-nueva!") is not None

    again = client.get(link, follow=True)
    assert 'name="password1"' not in again.content.decode()


def test_contacts_cannot_create_contacts(world):
    with pytest.raises(NotAllowed):
        create_contact(world.ana.user, email="x@acme.test", full_name="X", organization=world.acme)


def test_an_email_in_use_is_refused(world):
    with pytest.raises(InvalidValue) as refused:
        create_contact(world.agente.user, email="LUIS@acme.test", full_name="Luis", organization=world.acme)

    assert refused.value.field == "email"


def test_the_invitation_can_be_sent_again(world):
    invite_contact(world.agente.user, world.luis)

    assert OutboundEmail.objects.filter(kind="contact_invitation", to=["luis@acme.test"]).count() == 1


def test_an_admin_adds_a_contact_in_the_configuration_site(world, client):
    client.force_login(world.admin.user)
    world.admin.user.is_superuser = True
    world.admin.user.save()

    response = client.post(
        reverse("admin:accounts_contact_add"),
        {
            "email": "maria@acme.test",
            "full_name": "María Pérez",
            "organization": world.acme.pk,
            "phone": "601 555 0100",
            "extension": "204",
            "area": "Contabilidad",
            "language": "es",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get(user__email="maria@acme.test")
    assert contact.extension == "204"
    assert OutboundEmail.objects.filter(kind="contact_invitation", to=["maria@acme.test"]).exists()


def test_the_configuration_site_refuses_a_duplicate_email_on_the_form(world, client):
    world.admin.user.is_superuser = True
    world.admin.user.save()
    client.force_login(world.admin.user)

    response = client.post(
        reverse("admin:accounts_contact_add"),
        {"email": "luis@acme.test", "full_name": "Luis", "organization": world.acme.pk, "language": "es"},
    )

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
