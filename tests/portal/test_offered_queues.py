"""The portal's *Para* and filters list only what is offered to the contact's company: no
contact ever reads another client's queue or service, and forged ids are refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from atiende.tickets.models import Contract, Queue, Service, Ticket, TicketType
from tests.conftest import World
from tests.factories import QueueFactory, open_ticket

pytestmark = pytest.mark.django_db

HIDDEN = ("Umbrella Servidores", "Escalamiento interno", "Servidores Globex", "Hosting Globex Premium")


@pytest.fixture
def catalog(world: World) -> dict[str, Queue | Service]:
    """Acme's contact may see Soporte and Redes; the rest belongs to others or stays inside."""
    umbrella = QueueFactory.create(name="Umbrella Servidores", slug="umbrella", organization=world.globex)
    internal = QueueFactory.create(name="Escalamiento interno", slug="interno", offered_to_clients=False)
    globex_own = QueueFactory.create(name="Servidores Globex", slug="srv-globex", organization=world.globex)
    acme_own = QueueFactory.create(name="Servidores Acme", slug="srv-acme", organization=world.acme)
    hosting = Service.objects.create(name="Hosting Globex Premium")
    acme_service = Service.objects.create(name="Mesa de ayuda Acme")
    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    Contract.objects.create(organization=world.globex, service=hosting, valid_from=year_ago)
    Contract.objects.create(organization=world.acme, service=acme_service, valid_from=year_ago)
    return {
        "umbrella": umbrella,
        "internal": internal,
        "globex_own": globex_own,
        "acme_own": acme_own,
        "hosting": hosting,
        "acme_service": acme_service,
    }


PAGES = ["portal:home", "portal:ticket-new", "portal:tickets", "portal:company-tickets", "portal:search"]


@pytest.mark.parametrize("page", PAGES)
def test_an_acme_contact_never_reads_another_clients_or_internal_names(client, world, catalog, page):
    open_ticket(world.carla, catalog["globex_own"], subject="Caso de Globex")  # a ticket to hide too
    client.force_login(world.ana.user)
    html = client.get(reverse(page)).content.decode()
    for name in HIDDEN:
        assert name not in html, (page, name)
    assert "Caso de Globex" not in html


def test_para_lists_the_shared_queues_and_the_companys_own(client, world, catalog):
    client.force_login(world.ana.user)
    form = client.get(reverse("portal:ticket-new")).context["form"]
    offered = set(form.fields["queue"].queryset.values_list("name", flat=True))
    assert offered == {"Soporte", "Redes", "Servidores Acme"}


def test_filters_list_the_companys_services_and_on_demand_only(client, world, catalog):
    client.force_login(world.ana.user)
    filters = client.get(reverse("portal:search")).context["filters"]
    services = {str(label) for key, label in filters.fields["service"].choices if key}
    assert "Mesa de ayuda Acme" in services
    assert "Hosting Globex Premium" not in services
    assert Service.objects.get(is_on_demand=True).name in services


def test_filters_neither_list_nor_accept_another_companys_queue(client, world, catalog):
    client.force_login(world.ana.user)
    filters = client.get(reverse("portal:search")).context["filters"]
    queues = {str(label) for key, label in filters.fields["queue"].choices if key}
    assert queues == {"Soporte", "Redes", "Servidores Acme"}

    chosen = client.get(reverse("portal:search"), {"queue": catalog["globex_own"].pk}).context["filters"]

    assert chosen.cleaned_data.get("queue") is None
    assert "queue" in chosen.errors


def _new_ticket(**values: object) -> dict[str, object]:
    return {
        "type": TicketType.objects.get(is_default=True).pk,
        "service": "on-demand",
        "subject": "Consulta",
        "text": "Necesito ayuda con el servidor.",
        **values,
    }


@pytest.mark.parametrize("queue", ["umbrella", "internal", "globex_own"])
def test_a_hidden_queue_posted_by_hand_is_refused_and_nothing_is_opened(client, world, catalog, queue):
    client.force_login(world.ana.user)
    response = client.post(reverse("portal:ticket-new"), _new_ticket(queue=catalog[queue].pk))
    assert response.status_code == 400
    assert "queue" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_another_companys_contract_posted_by_hand_is_refused(client, world, catalog):
    client.force_login(world.ana.user)
    theirs = Contract.objects.get(service=catalog["hosting"])
    response = client.post(
        reverse("portal:ticket-new"), _new_ticket(queue=world.soporte.pk, service=f"contract:{theirs.pk}")
    )
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_a_hidden_queue_or_service_in_the_filters_url_is_ignored(client, world, catalog):
    open_ticket(world.ana, world.soporte, subject="Impresora")
    client.force_login(world.ana.user)
    page = client.get(
        reverse("portal:search"), {"queue": catalog["umbrella"].pk, "service": catalog["hosting"].pk}
    )
    assert page.status_code == 200
    assert "Umbrella Servidores" not in page.content.decode()
    assert "Impresora" in page.content.decode()  # the forged filter is dropped, not applied


def test_the_api_refuses_a_hidden_queue_to_a_contact_and_lists_only_the_offered(world, catalog):
    api = APIClient()
    api.force_login(world.ana.user)
    listed = {row["name"] for row in api.get("/api/v1/catalog/queues/").json()}
    assert listed == {"Soporte", "Redes", "Servidores Acme"}
    for queue in ("umbrella", "internal"):
        response = api.post(
            "/api/v1/tickets/",
            {"subject": "Consulta", "text": "Hola", "queue": catalog[queue].pk},
            format="json",
        )
        assert response.status_code == 400, response.content
    refused = api.post(
        "/api/v1/tickets/",
        {"subject": "Consulta", "text": "Hola", "queue": world.soporte.pk, "service": catalog["hosting"].pk},
        format="json",
    )
    assert refused.status_code == 400
    assert not Ticket.objects.exists()


def test_agents_may_still_file_into_an_internal_queue_for_a_caller(world, catalog):
    ticket = open_ticket(world.ana, catalog["internal"], actor=world.supervisor.user)
    assert ticket.queue == catalog["internal"]


def test_the_routed_queue_is_named_instead_of_para_when_clients_may_see_it(client, world, catalog):
    from atiende.tickets.actions.routing import add_routing_rule

    add_routing_rule(world.admin.user, queue=catalog["acme_own"], organization=world.acme)
    client.force_login(world.ana.user)
    page = client.get(reverse("portal:ticket-new"))
    assert "queue" not in page.context["form"].fields
    assert "Servidores Acme" in page.content.decode()
