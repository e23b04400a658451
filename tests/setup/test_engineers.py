"""Engineers are invited: email, name, role and queues in one form; the invitation's link
sets the password; a setting makes two-step sign-in a condition of using the desk."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import authenticate
from django.urls import reverse

from atiende.accounts.models import Agent, AgentRole, User
from atiende.outbox.models import OutboundEmail
from tests.factories import PASSWORD
from tests.portal.test_account_two_step import turn_on_two_step


def _invite(client, **values):
    data = {"full_name": "Nueva Ingeniera", "email": "nueva@proveedor.test", "role": "agent", **values}
    return client.post(reverse("desk:setup-engineer-invite"), data)


def test_a_supervisor_invites_an_engineer_into_queues_and_the_link_sets_the_password(client, world):
    client.force_login(world.supervisor.user)

    response = _invite(client, queues=[world.soporte.pk, world.redes.pk])

    assert response.status_code == 302
    agent = Agent.objects.get(user__email="nueva@proveedor.test")
    assert agent.role == AgentRole.AGENT
    assert set(agent.queues.all()) == {world.soporte, world.redes}
    assert not agent.user.has_usable_password()
    mail = OutboundEmail.objects.get(to=["nueva@proveedor.test"], kind="agent_invitation")
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mail.body_text)
    assert link is not None

    client.logout()
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else "/" + path,
        {"password1": "un-secreto-largo-2026", "password2": "un-secreto-largo-2026"},
    )
    assert authenticate(email="nueva@proveedor.test", password="un-secreto-largo-2026") is not None


def test_an_address_already_in_use_is_refused_and_the_form_keeps_what_was_typed(client, world):
    client.force_login(world.admin.user)

    page = _invite(client, email="ana@acme.test", full_name="Otra Ana")

    assert page.status_code == 200
    assert page.context["form"]["full_name"].value() == "Otra Ana"
    assert "Ya existe" in page.content.decode()
    assert Agent.objects.filter(user__email="ana@acme.test").count() == 0


def test_a_supervisor_cannot_make_an_administrator(client, world):
    client.force_login(world.supervisor.user)

    page = _invite(client, role="admin")

    assert page.status_code == 200
    assert not User.objects.filter(email="nueva@proveedor.test").exists()


def test_an_administrator_can(client, world):
    client.force_login(world.admin.user)

    _invite(client, role="admin")

    assert Agent.objects.get(user__email="nueva@proveedor.test").role == AgentRole.ADMIN


@pytest.mark.parametrize("who", ["agente", "ana", "carla"])
def test_nobody_else_invites(client, world, who):
    client.force_login(getattr(world, who).user)

    assert _invite(client).status_code == 404
    assert not User.objects.filter(email="nueva@proveedor.test").exists()


def test_with_the_setting_an_engineer_without_an_authenticator_is_sent_to_set_it_up(client, world, settings):
    settings.ATIENDE_AGENTS_REQUIRE_2FA = True
    client.post(reverse("account_login"), {"login": "agente@atiende.test", "password": PASSWORD})

    response = client.get(reverse("desk:home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    turn_on_two_step(client)
    assert Authenticator.objects.filter(user=world.agente.user, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("desk:home")).status_code == 200


def test_without_the_setting_or_for_contacts_nothing_is_asked(client, world, settings):
    settings.ATIENDE_AGENTS_REQUIRE_2FA = False
    client.force_login(world.agente.user)
    assert client.get(reverse("desk:home")).status_code == 200

    settings.ATIENDE_AGENTS_REQUIRE_2FA = True
    client.force_login(world.ana.user)
    assert client.get(reverse("portal:home")).status_code == 200
