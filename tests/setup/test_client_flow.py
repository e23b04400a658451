"""A new client through the flow: company → sites → contracts → service level → contacts."""

import datetime

from django.urls import reverse

from atiende.accounts.models import Organization
from atiende.outbox.models import OutboundEmail
from atiende.sla.models import Calendar, SlaPolicy
from atiende.tickets.models import Contract
from tests.factories import ServiceFactory


def test_a_supervisor_sets_up_a_client_from_company_to_contacts(client, world):
    service = ServiceFactory.create(name="Mesa de ayuda 24x7")
    round_the_clock = Calendar.objects.get(name="24x7")
    client.force_login(world.supervisor.user)

    page = client.get(reverse("desk:setup-client-new"))
    assert "Paso 1 de 5" in page.content.decode()
    response = client.post(
        reverse("desk:setup-client-new"),
        {"name": "Initech", "tax_id": "900.1", "email_domains": "initech.test", "address": "", "phone": ""},
    )
    company = Organization.objects.get(name="Initech")
    assert response.url == reverse("desk:setup-client-sites", args=[company.pk])

    client.post(reverse("desk:setup-client-sites", args=[company.pk]), {"name": "Sede Centro", "address": ""})
    assert company.locations.filter(name="Sede Centro").exists()

    client.post(
        reverse("desk:setup-client-contracts", args=[company.pk]),
        {"service": service.pk, "valid_from": "2026-01-01", "valid_to": "", "calendar": round_the_clock.pk},
    )
    contract = Contract.objects.get(organization=company)
    assert contract.valid_from == datetime.date(2026, 1, 1)
    assert list(contract.sla_calendars.all()) == [round_the_clock]

    client.post(
        reverse("desk:setup-client-service-level", args=[company.pk]),
        {
            "contract": contract.pk,
            "first_response_minutes": "60",
            "resolution_minutes": "480",
            "calendar": "",
        },
    )
    policy = SlaPolicy.objects.get(contract=contract)
    assert (policy.first_response_minutes, policy.resolution_minutes) == (60, 480)

    client.post(
        reverse("desk:setup-client-contacts", args=[company.pk]),
        {
            "full_name": "Peter Gibbons",
            "email": "peter@initech.test",
            "language": "es",
            "organization": company.pk,
        },
    )
    assert company.memberships.filter(contact__user__email="peter@initech.test").exists()
    assert OutboundEmail.objects.filter(to=["peter@initech.test"], kind="contact_invitation").exists()

    last = client.get(reverse("desk:setup-client-contacts", args=[company.pk])).content.decode()
    assert reverse("desk:company", args=[company.pk]) in last


def test_bad_input_is_explained_and_kept(client, world):
    service = ServiceFactory.create()
    client.force_login(world.supervisor.user)

    page = client.post(
        reverse("desk:setup-client-contracts", args=[world.acme.pk]),
        {"service": service.pk, "valid_from": "2026-05-01", "valid_to": "2026-04-01", "reference": "OC-77"},
    )

    assert page.status_code == 200
    assert "debe terminar" in page.content.decode()
    assert page.context["form"]["reference"].value() == "OC-77"
    assert not Contract.objects.filter(organization=world.acme).exists()


def test_a_service_level_needs_a_target_and_a_sane_number(client, world):
    contract = Contract.objects.create(
        organization=world.acme, service=ServiceFactory.create(), valid_from=datetime.date(2026, 1, 1)
    )
    client.force_login(world.admin.user)
    url = reverse("desk:setup-client-service-level", args=[world.acme.pk])

    empty = client.post(url, {"contract": contract.pk})
    huge = client.post(url, {"contract": contract.pk, "first_response_minutes": "99999999999"})

    assert empty.status_code == huge.status_code == 200
    assert not SlaPolicy.objects.exists()


def test_a_service_level_refuses_another_companys_contract(client, world):
    theirs = Contract.objects.create(
        organization=world.globex, service=ServiceFactory.create(), valid_from=datetime.date(2026, 1, 1)
    )
    client.force_login(world.admin.user)

    page = client.post(
        reverse("desk:setup-client-service-level", args=[world.acme.pk]),
        {"contract": theirs.pk, "first_response_minutes": "60"},
    )

    assert page.status_code == 200
    assert not SlaPolicy.objects.exists()


def test_agents_and_contacts_cannot_use_the_flow(client, world):
    for person in (world.agente.user, world.ana.user):
        client.force_login(person)
        for name in ("desk:setup-client-sites", "desk:setup-client-contracts", "desk:setup-client-contacts"):
            assert client.post(reverse(name, args=[world.acme.pk]), {"name": "X"}).status_code == 404
    assert not world.acme.locations.filter(name="X").exists()


def test_a_missing_company_is_a_404(client, world):
    client.force_login(world.admin.user)

    assert client.get(reverse("desk:setup-client-sites", args=[999999])).status_code == 404
