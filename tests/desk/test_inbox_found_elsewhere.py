"""A search that finds nothing in the current view points to the agent's views that hold it."""

from django.urls import reverse

from tests.factories import open_ticket


def test_a_search_empty_in_my_tickets_offers_the_queue_that_holds_it(client, world):
    open_ticket(world.luis, world.soporte, subject="Rubies en el servidor de correo")
    client.force_login(world.agente.user)

    response = client.get(reverse("desk:home"), {"q": "rubies"})

    html = response.content.decode()
    assert "está en otros tickets que usted puede ver" in html
    assert f'href="{reverse("desk:queue", args=["soporte"])}?q=rubies&amp;state=all"' in html
    assert [(scope.label, count) for scope, _, count in response.context["elsewhere"]] == [
        ("Sin asignar", 1),
        ("Soporte", 1),
    ]


def test_it_never_offers_what_the_agent_may_not_see(client, world):
    open_ticket(world.luis, world.redes, subject="Rubies en el enrutador")
    client.force_login(world.agente.user)

    response = client.get(reverse("desk:home"), {"q": "rubies"})

    assert response.context["elsewhere"] == []
    assert "otros tickets que usted puede ver" not in response.content.decode()


def test_a_list_with_results_looks_nowhere_else(client, world):
    ticket = open_ticket(world.luis, world.soporte, subject="Rubies en el servidor")
    client.force_login(world.agente.user)

    response = client.get(reverse("desk:queue", args=["soporte"]), {"q": "rubies"})

    assert response.context["elsewhere"] == []
    assert ticket.subject in response.content.decode()
