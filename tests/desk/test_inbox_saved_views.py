"""Saved views: an agent names the list they are looking at and finds it in the sidebar."""

from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import translation

from atiende.tickets import actions
from atiende.tickets.models import Priority, SavedView
from tests.factories import open_ticket


def save(client, name, query, next_url="/desk/"):
    return client.post(reverse("desk:saved-view-create"), {"name": name, "query": query, "next": next_url})


def test_an_agent_saves_the_current_filters_as_a_view(client, world):
    urgent = Priority.objects.get(level=1)
    wanted = open_ticket(world.luis, world.soporte, subject="VPN caída", priority=urgent)
    open_ticket(world.luis, world.soporte, subject="VPN lenta")
    client.force_login(world.agente.user)
    page = client.get(reverse("desk:unassigned"), {"q": "vpn", "priority": urgent.pk})

    response = save(client, "VPN urgentes", page.context["save_query"])

    view = SavedView.objects.get(owner=world.agente.user)
    assert view.name == "VPN urgentes"
    assert view.query == f"q=vpn&priority={urgent.pk}&assignee=none"
    url = urlsplit(response["Location"])
    assert url.path == reverse("desk:saved-view", args=[view.pk])
    shown = client.get(response["Location"])
    assert [row.ticket.number for row in shown.context["rows"]] == [wanted.number]
    entries = {entry.scope.key: entry for entry in shown.context["sidebar"]}
    assert entries[f"saved:{view.pk}"].count == 1
    assert entries[f"saved:{view.pk}"].current
    assert "VPN urgentes" in shown.content.decode()


def test_a_view_saved_from_mis_tickets_keeps_meaning_mine(client, world):
    client.force_login(world.agente.user)
    page = client.get(reverse("desk:home"), {"sort": "priority"})

    save(client, "Lo mío por prioridad", page.context["save_query"])

    assert SavedView.objects.get().query == "assignee=me&sort=priority"


def test_a_saved_view_opened_without_filters_shows_its_own(client, world):
    taken = open_ticket(world.luis, world.soporte)
    actions.take_ticket(world.agente.user, taken)
    open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)
    view = SavedView.objects.create(owner=world.agente.user, name="Mías", query="assignee=me")

    page = client.get(reverse("desk:saved-view", args=[view.pk]))

    assert [row.ticket.number for row in page.context["rows"]] == [taken.number]
    assert page.context["filters"].assignee == "me"


def test_a_saved_view_shows_only_tickets_the_agent_may_see(client, world):
    open_ticket(world.carla, world.redes, subject="Switch caído")
    client.force_login(world.agente.user)
    view = SavedView.objects.create(owner=world.agente.user, name="Todo", query="state=all")

    page = client.get(reverse("desk:saved-view", args=[view.pk]))

    assert page.context["rows"] == []
    assert {entry.scope.key: entry.count for entry in page.context["sidebar"]}[f"saved:{view.pk}"] == 0


def test_the_sidebar_lists_only_the_agents_own_views(client, world):
    SavedView.objects.create(owner=world.otro.user, name="De otro", query="priority=1")
    SavedView.objects.create(owner=world.agente.user, name="Mía", query="priority=2")
    client.force_login(world.agente.user)

    html = client.get(reverse("desk:home")).content.decode()

    assert "Mía" in html
    assert "De otro" not in html


def test_another_agents_view_is_a_404_to_open_and_to_delete(client, world):
    view = SavedView.objects.create(owner=world.otro.user, name="De otro", query="priority=1")
    client.force_login(world.agente.user)

    assert client.get(reverse("desk:saved-view", args=[view.pk])).status_code == 404
    assert client.post(reverse("desk:saved-view-delete", args=[view.pk])).status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_an_agent_deletes_their_own_view(client, world):
    view = SavedView.objects.create(owner=world.agente.user, name="Mía", query="priority=2")
    client.force_login(world.agente.user)

    response = client.post(reverse("desk:saved-view-delete", args=[view.pk]))

    assert response.status_code == 302
    assert not SavedView.objects.filter(pk=view.pk).exists()


def test_deleting_a_view_takes_a_post(client, world):
    view = SavedView.objects.create(owner=world.agente.user, name="Mía", query="priority=2")
    client.force_login(world.agente.user)

    assert client.get(reverse("desk:saved-view-delete", args=[view.pk])).status_code == 405
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_a_view_needs_a_name_of_its_own(client, world):
    SavedView.objects.create(owner=world.agente.user, name="Urgentes", query="priority=1")
    SavedView.objects.create(owner=world.otro.user, name="VPN", query="q=vpn")
    client.force_login(world.agente.user)

    blank = save(client, "   ", "priority=2", next_url="/desk/unassigned/?priority=2")
    twice = save(client, "urgentes", "priority=2")
    other_agents_name = save(client, "VPN", "q=vpn")

    assert blank["Location"] == "/desk/unassigned/?priority=2"
    assert twice["Location"] == reverse("desk:home")
    assert set(SavedView.objects.filter(owner=world.agente.user).values_list("name", flat=True)) == {
        "Urgentes",
        "VPN",
    }
    assert other_agents_name.status_code == 302


def test_a_refused_view_says_why(client, world):
    client.force_login(world.agente.user)

    page = client.post(
        reverse("desk:saved-view-create"), {"name": "", "query": "priority=2", "next": "/desk/"}, follow=True
    )

    with translation.override("es"):
        expected = translation.gettext("Write a name for the view.")
    assert [str(message) for message in page.context["messages"]] == [expected]


def test_the_return_address_never_leaves_the_desk(client, world):
    client.force_login(world.agente.user)

    response = save(client, "", "", next_url="https://example.com/desk/")

    assert response["Location"] == reverse("desk:home")
