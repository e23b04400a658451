"""The access matrix: who sees which tickets, in lists and one by one."""

import pytest
from django.http import Http404

from atiende.tickets import access, actions
from atiende.tickets.models import Ticket
from tests.factories import open_ticket


@pytest.fixture
def tickets(world):
    """One ticket per (requester, queue) situation worth telling apart."""
    return {
        "luis_soporte": open_ticket(world.luis, world.soporte),
        "ana_redes": open_ticket(world.ana, world.redes),
        "carla_soporte": open_ticket(world.carla, world.soporte),
        "carla_redes": open_ticket(world.carla, world.redes),
        "sofia_acme": open_ticket(world.sofia, world.soporte, organization=world.acme),
        "sofia_globex": open_ticket(world.sofia, world.redes, organization=world.globex),
    }


EXPECTED = {
    # Acme without company view: own Acme tickets only.
    "luis": {"luis_soporte"},
    # Acme with company view (membership flag): every Acme ticket.
    "ana": {"luis_soporte", "ana_redes", "sofia_acme"},
    # Globex lets every contact see company tickets.
    "carla": {"carla_soporte", "carla_redes", "sofia_globex"},
    # Acme (own only) and Globex (company-wide through the company flag).
    "sofia": {"sofia_acme", "sofia_globex", "carla_soporte", "carla_redes"},
    # Agents: the queues they work.
    "agente": {"luis_soporte", "carla_soporte", "sofia_acme"},
    "otro": {"ana_redes", "carla_redes", "sofia_globex"},
    "supervisor": {"luis_soporte", "ana_redes", "carla_soporte", "carla_redes", "sofia_acme", "sofia_globex"},
    "admin": {"luis_soporte", "ana_redes", "carla_soporte", "carla_redes", "sofia_acme", "sofia_globex"},
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_person_sees_exactly_the_expected_tickets(world, tickets, who):
    user = getattr(world, who).user
    names = {name for name, ticket in tickets.items() if ticket in access.tickets_visible_to(user)}

    assert names == EXPECTED[who]
    for name, ticket in tickets.items():
        assert access.can_view(user, ticket) == (name in EXPECTED[who])


def test_turning_the_company_flag_off_hides_colleagues_tickets(world, tickets):
    world.globex.contacts_see_all_tickets = False
    world.globex.save()

    visible = set(access.tickets_visible_to(world.carla.user))

    assert visible == {tickets["carla_soporte"], tickets["carla_redes"]}


def test_turning_the_company_flag_on_shows_colleagues_tickets(world, tickets):
    world.acme.contacts_see_all_tickets = True
    world.acme.save()

    assert tickets["ana_redes"] in access.tickets_visible_to(world.luis.user)


def test_a_contact_removed_from_a_company_no_longer_sees_its_tickets(world, tickets):
    world.sofia.memberships.filter(organization=world.globex).delete()

    assert tickets["sofia_globex"] not in access.tickets_visible_to(world.sofia.user)


def test_an_agent_sees_a_ticket_assigned_to_them_outside_their_queues(world, tickets):
    ticket = tickets["ana_redes"]
    actions.assign_ticket(world.supervisor.user, ticket, world.supervisor)
    world.redes.agents.add(world.agente)
    actions.assign_ticket(world.supervisor.user, ticket, world.agente)
    world.redes.agents.remove(world.agente)

    assert ticket in access.tickets_visible_to(world.agente.user)


def test_deactivated_people_see_nothing(world, tickets):
    for person in (world.luis, world.agente):
        person.user.is_active = False
        person.user.save()

        assert not access.tickets_visible_to(person.user).exists()


def test_anonymous_visitors_see_nothing(tickets):
    from django.contrib.auth.models import AnonymousUser

    assert not access.tickets_visible_to(AnonymousUser()).exists()  # type: ignore[arg-type]


def test_lists_hold_each_ticket_once_even_across_rules(world, tickets):
    visible = access.tickets_visible_to(world.sofia.user)

    assert visible.count() == len(set(visible.values_list("pk", flat=True)))


def test_a_ticket_of_another_company_is_a_404_not_a_403(world, tickets):
    with pytest.raises(Http404):
        access.get_ticket_for_user(world.luis.user, tickets["carla_soporte"].number)
    with pytest.raises(Http404):
        access.get_ticket_for_user(world.luis.user, 999_999)

    assert (
        access.get_ticket_for_user(world.luis.user, tickets["luis_soporte"].number) == tickets["luis_soporte"]
    )


def test_only_admins_are_admins(world):
    assert access.is_admin(world.admin.user)
    assert not access.is_admin(world.supervisor.user)
    assert not access.is_admin(world.ana.user)


def test_the_visible_queryset_is_one_query(world, tickets, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(access.tickets_visible_to(world.sofia.user).values_list("pk", flat=True))
    assert Ticket.objects.count() == 6
