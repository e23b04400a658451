"""The portal keeps each contact's companies (and whether they see billing) between pages,
and reads them again as soon as a membership, a company or its billing contacts change."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from atiende.accounts.models import Membership
from atiende.billing.models import BillingProfile
from atiende.portal import company
from tests.factories import OrganizationFactory, open_ticket

HOME = "portal:tickets"
BELONGING_TABLES = ('"accounts_membership"', '"billing_billingprofile_contacts"')


def page(client):
    response = client.get(reverse(HOME))
    assert response.status_code == 200
    return response.content.decode()


def reads_of_belonging(client) -> int:
    """Statements of a page that read the contact's companies outside the ticket lists."""
    with CaptureQueriesContext(connection) as captured:
        page(client)
    return sum(
        1
        for query in captured.captured_queries
        if query["sql"].startswith('SELECT "accounts_organization"')
        or "billing_billingprofile_contacts" in query["sql"]
    )


def test_a_second_page_reads_the_contacts_companies_from_the_cache(client, world):
    client.force_login(world.sofia.user)

    assert reads_of_belonging(client) == 2
    assert reads_of_belonging(client) == 0


def test_kept_companies_are_per_person(client, world):
    client.force_login(world.sofia.user)
    assert "Globex" in page(client)
    client.force_login(world.luis.user)

    html = page(client)

    assert "Globex" not in html


def test_a_new_membership_shows_on_the_next_page(client, world):
    client.force_login(world.luis.user)
    assert "Globex" not in page(client)

    Membership.objects.create(contact=world.luis, organization=world.globex)

    assert "Globex" in page(client)


def test_a_membership_removed_leaves_the_next_page_and_its_tickets(client, world):
    ticket = open_ticket(world.sofia, world.soporte, organization=world.globex, subject="Impresora Globex")
    client.force_login(world.sofia.user)
    client.post(reverse("portal:company-switch"), {"company": world.globex.pk})
    assert "Impresora Globex" in page(client)

    Membership.objects.filter(contact=world.sofia, organization=world.globex).get().delete()

    html = page(client)
    assert "Impresora Globex" not in html
    assert client.get(reverse("portal:ticket-detail", args=[ticket.number])).status_code == 404


def test_seeing_the_company_given_or_taken_shows_on_the_next_page(client, world):
    company_url = reverse("portal:company-tickets")
    client.force_login(world.luis.user)
    assert company_url not in page(client)

    membership = Membership.objects.get(contact=world.luis, organization=world.acme)
    membership.sees_company_tickets = True
    membership.save()
    assert company_url in page(client)
    assert client.get(company_url).status_code == 200

    membership.sees_company_tickets = False
    membership.save()
    assert company_url not in page(client)
    assert client.get(company_url).status_code == 404


def test_a_company_deactivated_leaves_the_next_page(client, world):
    client.force_login(world.sofia.user)
    assert "Globex" in page(client)

    world.globex.is_active = False
    world.globex.save()

    assert "Globex" not in page(client)


def test_a_company_opening_its_tickets_to_everyone_shows_on_the_next_page(client, world):
    company_url = reverse("portal:company-tickets")
    client.force_login(world.luis.user)
    assert company_url not in page(client)

    world.acme.contacts_see_all_tickets = True
    world.acme.save()

    assert company_url in page(client)


def test_becoming_a_billing_contact_shows_billing_on_the_next_page(client, world):
    services_url = reverse("billing-portal:services")
    client.force_login(world.luis.user)
    assert services_url not in page(client)

    profile = BillingProfile.objects.create(organization=world.acme)
    profile.contacts.add(world.luis)
    assert services_url in page(client)

    profile.contacts.remove(world.luis)
    assert services_url not in page(client)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_committed_after_a_page_kept_the_old_companies_is_seen(client, world):
    """A page that read the companies while the change was not yet committed kept the old
    ones: the version changes again on commit, so that copy is never used."""
    client.force_login(world.luis.user)
    page(client)
    other = OrganizationFactory.create(name="Initech")
    with transaction.atomic():
        Membership.objects.create(contact=world.luis, organization=other)
        # Another request, outside this transaction, reads the old list here and keeps it
        # under the version the save just made.
        stale = company.Belonging([], False)
        cache.set(f"portal:belonging:{company.memberships.version()}:{world.luis.user.pk}", stale, 600)

    assert "Initech" in page(client)


def test_a_contact_deactivated_is_not_served_from_the_cache(client, world):
    client.force_login(world.luis.user)
    page(client)

    world.luis.user.is_active = False
    world.luis.user.save()

    assert client.get(reverse(HOME)).status_code == 302
