"""*Configuración › Enrutamiento*: rules and the portal's queues, for supervisors and admins."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atiende.tickets.models import RoutingRule
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_a_supervisor_adds_a_company_rule_and_sees_it_listed(client, world: World):
    client.force_login(world.supervisor.user)
    response = client.post(
        reverse("desk:setup-routing"), {"organization": world.acme.pk, "queue": world.redes.pk}
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert (rule.organization, rule.queue) == (world.acme, world.redes)
    page = client.get(reverse("desk:setup-routing")).content.decode()
    assert "Acme S.A.S." in page and "Redes" in page


def test_a_rule_with_both_conditions_is_refused_on_the_form(client, world: World):
    client.force_login(world.admin.user)
    response = client.post(
        reverse("desk:setup-routing"),
        {"organization": world.acme.pk, "email_domain": "acme.test", "queue": world.redes.pk},
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not RoutingRule.objects.exists()


def test_a_forged_queue_id_is_refused(client, world: World):
    client.force_login(world.admin.user)
    response = client.post(reverse("desk:setup-routing"), {"email_domain": "acme.test", "queue": 99999999999})
    assert response.status_code == 400
    assert not RoutingRule.objects.exists()


def test_removing_a_rule(client, world: World):
    rule = RoutingRule.objects.create(email_domain="acme.test", queue=world.redes)
    client.force_login(world.supervisor.user)
    assert client.post(reverse("desk:setup-routing-rule-remove", args=[rule.pk])).status_code == 302
    assert not RoutingRule.objects.exists()


def test_a_queue_is_made_one_clients_own(client, world: World):
    client.force_login(world.admin.user)
    prefix = f"q{world.redes.pk}"
    client.post(
        reverse("desk:setup-queue-offer", args=[world.redes.pk]),
        {f"{prefix}-offered_to_clients": "on", f"{prefix}-organization": world.globex.pk},
    )
    world.redes.refresh_from_db()
    assert (world.redes.offered_to_clients, world.redes.organization) == (True, world.globex)


@pytest.mark.parametrize("who", ["agente", "luis"])
def test_agents_and_contacts_get_a_404(client, world: World, who):
    person = getattr(world, who)
    client.force_login(person.user)
    assert client.get(reverse("desk:setup-routing")).status_code == 404
    assert (
        client.post(
            reverse("desk:setup-routing"), {"organization": world.acme.pk, "queue": world.redes.pk}
        ).status_code
        == 404
    )
    assert not RoutingRule.objects.exists()


def test_the_checklist_links_to_routing(client, world: World):
    client.force_login(world.admin.user)
    page = client.get(reverse("desk:setup")).content.decode()
    assert reverse("desk:setup-routing") in page
