"""The agents' inbox: its views, their counts, isolation between queues, news marks, the
htmx refresh and the number of queries a page costs."""

import re

import pytest
from django.urls import reverse

from atiende.tickets import actions, freshness, vocabulary
from atiende.tickets.models import Channel, Queue
from tests.factories import QueueFactory, open_ticket


def listed(response):
    return [row.ticket.number for row in response.context["rows"]]


def counts(response):
    return {entry.scope.key: entry.count for entry in response.context["sidebar"]}


def assign(world, ticket, agent):
    actions.assign_ticket(world.supervisor.user, ticket, agent)


# --- the views -----------------------------------------------------------------------


def test_mis_tickets_lists_the_open_tickets_assigned_to_the_agent(client, world):
    mine = open_ticket(world.luis, world.soporte, subject="Impresora atascada")
    assign(world, mine, world.agente)
    closed = open_ticket(world.luis, world.soporte, subject="Ya resuelto")
    assign(world, closed, world.agente)
    actions.close_ticket(world.agente.user, closed)
    nobodys = open_ticket(world.ana, world.soporte, subject="Nadie lo tomó")
    client.force_login(world.agente.user)

    page = client.get(reverse("desk:home"))

    assert listed(page) == [mine.number]
    html = page.content.decode()
    assert "Impresora atascada" in html
    assert nobodys.subject not in html


def test_unassigned_lists_open_tickets_of_the_agents_queues_that_nobody_took(client, world):
    free = open_ticket(world.luis, world.soporte)
    taken = open_ticket(world.luis, world.soporte)
    assign(world, taken, world.agente)
    open_ticket(world.carla, world.redes)
    client.force_login(world.agente.user)

    assert listed(client.get(reverse("desk:unassigned"))) == [free.number]


def test_an_agent_of_no_queue_sees_only_what_is_assigned_to_them(client, world):
    theirs = open_ticket(world.luis, world.soporte)
    assign(world, theirs, world.agente)
    open_ticket(world.luis, world.soporte)
    world.soporte.agents.remove(world.agente)
    client.force_login(world.agente.user)

    unassigned = client.get(reverse("desk:unassigned"))

    assert listed(unassigned) == []
    assert counts(unassigned) == {"mine": 1, "unassigned": 0}
    assert listed(client.get(reverse("desk:home"))) == [theirs.number]


def test_a_queue_view_lists_that_queue_only(client, world):
    soporte = open_ticket(world.luis, world.soporte)
    open_ticket(world.carla, world.redes)
    client.force_login(world.agente.user)

    assert listed(client.get(reverse("desk:queue", args=["soporte"]))) == [soporte.number]


def test_an_agent_gets_a_404_for_a_queue_they_do_not_work(client, world):
    client.force_login(world.agente.user)

    assert client.get(reverse("desk:queue", args=["redes"])).status_code == 404
    assert client.get(reverse("desk:queue", args=["no-existe"])).status_code == 404


def test_todos_is_a_404_for_a_plain_agent(client, world):
    client.force_login(world.agente.user)

    assert client.get(reverse("desk:all")).status_code == 404


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_supervisors_and_admins_see_todos_and_every_active_queue(client, world, who):
    soporte = open_ticket(world.luis, world.soporte)
    redes = open_ticket(world.carla, world.redes)
    QueueFactory.create(name="Archivo", slug="archivo", is_active=False)
    client.force_login(getattr(world, who).user)

    page = client.get(reverse("desk:all"))

    assert set(listed(page)) == {soporte.number, redes.number}
    assert set(counts(page)) == {"mine", "unassigned", "queue:redes", "queue:soporte", "all"}
    assert client.get(reverse("desk:queue", args=["redes"])).status_code == 200


def test_the_sidebar_lists_only_the_agents_queues_and_no_todos(client, world):
    client.force_login(world.agente.user)

    page = client.get(reverse("desk:home"))

    assert set(counts(page)) == {"mine", "unassigned", "queue:soporte"}
    assert reverse("desk:all") not in page.content.decode()


DESK_PAGES = [
    ("get", "desk:home", []),
    ("get", "desk:unassigned", []),
    ("get", "desk:all", []),
    ("get", "desk:queue", ["soporte"]),
    ("get", "desk:saved-view", [1]),
    ("post", "desk:saved-view-create", []),
    ("post", "desk:saved-view-delete", [1]),
    ("post", "desk:bulk", []),
    ("post", "desk:bulk-apply", []),
]


@pytest.mark.parametrize(("method", "name", "args"), DESK_PAGES)
@pytest.mark.parametrize("who", ["luis", "ana", "carla"])
def test_contacts_get_a_404_on_every_inbox_url(client, world, who, method, name, args):
    client.force_login(getattr(world, who).user)

    response = getattr(client, method)(reverse(name, args=args))

    assert response.status_code == 404


@pytest.mark.parametrize(("method", "name", "args"), DESK_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, method, name, args):
    response = getattr(client, method)(reverse(name, args=args))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- isolation ---------------------------------------------------------------------------


def test_an_agent_never_sees_another_queues_ticket_in_any_view_count_or_search(client, world):
    ours = open_ticket(world.luis, world.soporte, subject="Router de la sede caído")
    theirs = open_ticket(world.carla, world.redes, subject="Router del piso 3 caído")
    assign(world, ours, world.agente)
    assign(world, theirs, world.otro)
    open_ticket(world.carla, world.redes, subject="Router sin asignar en Redes")
    client.force_login(world.agente.user)

    for url in (reverse("desk:home"), reverse("desk:unassigned"), reverse("desk:queue", args=["soporte"])):
        for query in ({}, {"q": "router"}, {"state": "all", "q": "caído"}, {"q": str(theirs.number)}):
            page = client.get(url, query, follow=True)
            assert theirs.number not in listed(page)
            assert world.redes.pk not in [row.ticket.queue_id for row in page.context["rows"]]
            assert "piso 3" not in page.content.decode()
    page = client.get(reverse("desk:home"))
    assert counts(page) == {"mine": 1, "unassigned": 0, "queue:soporte": 1}


def test_a_ticket_of_another_queue_assigned_to_the_agent_shows_in_mis_tickets(client, world):
    # Access lets agents see what is assigned to them, wherever it sits.
    ticket = open_ticket(world.carla, world.redes)
    world.redes.agents.add(world.agente)
    assign(world, ticket, world.agente)
    world.redes.agents.remove(world.agente)
    client.force_login(world.agente.user)

    page = client.get(reverse("desk:home"))

    assert listed(page) == [ticket.number]
    assert "queue:redes" not in counts(page)


# --- counts --------------------------------------------------------------------------------


def test_the_sidebar_counts_the_open_tickets_of_each_view(client, world):
    for _ in range(2):
        assign(world, open_ticket(world.luis, world.soporte), world.agente)
    open_ticket(world.luis, world.soporte)
    closed = open_ticket(world.luis, world.soporte)
    actions.close_ticket(world.agente.user, closed)
    open_ticket(world.carla, world.redes)
    client.force_login(world.supervisor.user)

    page = client.get(reverse("desk:all"))

    assert counts(page) == {"mine": 0, "unassigned": 2, "queue:redes": 1, "queue:soporte": 3, "all": 4}


def test_the_sidebar_counts_take_one_query_for_the_built_in_views_and_one_for_the_saved(
    world, django_assert_num_queries
):
    from atiende.desk.inbox.scopes import scopes_for, sidebar
    from atiende.tickets.models import SavedView

    user = world.supervisor.user
    scopes = scopes_for(user, world.supervisor, [])
    vocabulary.kept.load()  # read once per process, not per page
    with django_assert_num_queries(1):
        assert len(sidebar(user, world.supervisor, scopes, scopes[0], "without saved views")) == 5

    SavedView.objects.create(owner=user, name="Urgentes", query="priority=1&q=router")
    SavedView.objects.create(owner=user, name="Con etiqueta", query="tag=vpn&state=all")
    scopes = scopes_for(user, world.supervisor, list(SavedView.objects.filter(owner=user)))
    with django_assert_num_queries(2):
        entries = sidebar(user, world.supervisor, scopes, scopes[0], "with saved views")

    assert len(entries) == len(scopes) == 7


@pytest.mark.parametrize("who", ["agente", "supervisor"])
def test_the_built_in_views_counted_in_one_pass_equal_each_view_counted_alone(world, who):
    """The supervisor's built-in views come from one grouped count; each must equal the
    view's own condition counted alone, whatever mix of queues, owners and stages."""
    import random

    from atiende.desk.inbox.scopes import _count, scopes_for
    from atiende.tickets import queries
    from atiende.tickets.access import may_be_assigned
    from tests.factories import QueueFactory

    extra = QueueFactory(slug="extra", name="Extra")
    chance = random.Random(20)
    people = [None, world.agente, world.supervisor]
    for _ in range(30):
        queue = chance.choice([world.soporte, world.redes, extra])
        ticket = open_ticket(chance.choice([world.luis, world.ana, world.carla]), queue)
        owner = chance.choice(people)
        if owner is not None and may_be_assigned(owner, queue):
            actions.assign_ticket(world.supervisor.user, ticket, owner)
        if chance.random() < 0.3:
            actions.close_ticket(world.supervisor.user, ticket)
    agent = getattr(world, who)
    scopes = scopes_for(agent.user, agent, [])

    alone = queries.view_counts_for_agent(
        agent.user, {f"v{index}": scope.counting_condition(agent) for index, scope in enumerate(scopes)}
    )

    assert _count(agent.user, agent, scopes) == {
        scope.key: alone[f"v{index}"] for index, scope in enumerate(scopes)
    }
    assert sum(_count(agent.user, agent, scopes).values()) > 0


# --- news ------------------------------------------------------------------------------------


def test_tickets_with_news_are_marked_until_the_agent_opens_them(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    quiet = open_ticket(world.luis, world.soporte)
    actions.mark_seen(world.agente.user, quiet)
    client.force_login(world.agente.user)
    url = reverse("desk:unassigned")

    page = client.get(url)
    assert {row.ticket.number: row.news for row in page.context["rows"]} == {
        ticket.number: True,
        quiet.number: False,
    }
    html = page.content.decode()
    assert html.count('class="inbox-row has-news"') == 1
    assert html.count('class="news-dot"') == 1

    actions.mark_seen(world.agente.user, ticket)
    assert not any(row.news for row in client.get(url).context["rows"])

    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="¿Alguna novedad?")
    rows = client.get(url).context["rows"]
    assert [row.ticket.number for row in rows if row.news] == [ticket.number]


def test_news_are_per_person(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.mark_seen(world.supervisor.user, ticket)
    client.force_login(world.agente.user)

    assert client.get(reverse("desk:unassigned")).context["rows"][0].news is True


# --- the list ----------------------------------------------------------------------------------


def test_each_row_shows_the_tickets_facts_and_links_to_its_page(client, world):
    ticket = open_ticket(world.luis, world.soporte, subject="Correo no sincroniza")
    assign(world, ticket, world.agente)
    client.force_login(world.agente.user)

    html = client.get(reverse("desk:home")).content.decode()

    for fact in (f"#{ticket.number}", "Correo no sincroniza", "Acme S.A.S.", "Luis Acme", "Nuevo", "Normal"):
        assert fact in html
    assert "Agente Soporte" in html
    assert f'href="{reverse("desk:ticket", args=[ticket.number])}"' in html
    assert 'datetime="' in html and 'title="' in html


def test_the_list_shows_fifty_tickets_a_page_and_the_total(client, world):
    for _ in range(51):
        open_ticket(world.luis, world.soporte)
    client.force_login(world.agente.user)

    first = client.get(reverse("desk:unassigned"))
    second = client.get(reverse("desk:unassigned"), {"page": 2})

    assert len(listed(first)) == 50
    assert len(listed(second)) == 1
    assert first.context["page"].paginator.count == 51
    assert "51 tickets" in first.content.decode()
    assert not set(listed(first)) & set(listed(second))


def test_the_page_links_keep_the_filters(client, world):
    for _ in range(51):
        open_ticket(world.luis, world.soporte, subject="Impresora")
    client.force_login(world.agente.user)

    html = client.get(reverse("desk:unassigned"), {"q": "impresora", "sort": "number"}).content.decode()

    assert "?q=impresora&amp;sort=number&amp;page=2" in html


# --- htmx refresh ------------------------------------------------------------------------------


def test_the_htmx_refresh_returns_only_the_list_and_the_counts(client, world):
    ticket = open_ticket(world.luis, world.soporte, subject="Pantalla azul")
    client.force_login(world.agente.user)
    url = reverse("desk:unassigned") + "?q=pantalla"

    fragment = client.get(url, headers={"HX-Request": "true"})

    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert html.lstrip().startswith('<div id="inbox-list"')
    assert "Pantalla azul" in html and f"#{ticket.number}" in html
    assert "<html" not in html
    assert 'name="q"' not in html  # the search box stays as typed, outside the swap
    assert 'id="bulk-form"' not in html
    assert 'id="inbox-views" class="inbox-views" aria-label' in html
    assert 'hx-swap-oob="true"' in html
    assert f'hx-get="{url}&amp;shown=' in html


def test_the_full_page_polls_its_own_address(client, world):
    client.force_login(world.agente.user)
    url = reverse("desk:unassigned") + "?q=pantalla&sort=number"

    page = client.get(url)

    html = page.content.decode()
    assert "<html" in html
    polled = re.search(r'hx-get="([^"]+)" hx-trigger="every 20s"', html)
    assert polled and polled[1].startswith(url.replace("&", "&amp;") + "&amp;shown=")
    assert "HX-Request" in page["Vary"]


# --- queries -----------------------------------------------------------------------------------


def _measure(client, url, headers, django_assert_max_num_queries):
    freshness.touch()  # as after any change: the views are counted, not read back
    with django_assert_max_num_queries(40) as queries:
        assert client.get(url, headers=headers).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("who", ["agente", "supervisor"])
def test_the_inbox_runs_a_constant_number_of_queries(client, world, django_assert_max_num_queries, who, htmx):
    client.force_login(getattr(world, who).user)
    headers = {"HX-Request": "true"} if htmx else {}
    url = reverse("desk:queue", args=["soporte"])

    def add(count):
        for index in range(count):
            ticket = open_ticket(world.luis if index % 2 else world.ana, world.soporte)
            assign(world, ticket, world.agente if index % 3 else None)
            if index % 4 == 0:
                actions.mark_seen(world.agente.user, ticket)

    add(5)
    client.get(url, headers=headers)
    with_five = _measure(client, url, headers, django_assert_max_num_queries)
    add(45)
    with_fifty = _measure(client, url, headers, django_assert_max_num_queries)

    assert with_fifty == with_five


def test_the_fragment_costs_no_more_queries_than_the_page_and_leaves_the_forms_out(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.agente.user)
    url = reverse("desk:home")
    client.get(url)

    page = _measure(client, url, {}, django_assert_max_num_queries)
    fragment = _measure(client, url, {"HX-Request": "true"}, django_assert_max_num_queries)
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert fragment <= page
    assert 'id="inbox-list"' in html
    assert "inbox-filters" not in html and 'id="bulk-form"' not in html


def test_inactive_queues_leave_the_sidebar(client, world):
    Queue.objects.filter(pk=world.soporte.pk).update(is_active=False)
    client.force_login(world.agente.user)

    page = client.get(reverse("desk:home"))

    assert "queue:soporte" not in counts(page)
    assert client.get(reverse("desk:queue", args=["soporte"])).status_code == 404


def test_a_view_shown_as_is_takes_its_total_from_the_sidebar_and_a_filtered_one_counts(
    client, world, django_assert_max_num_queries
):
    for subject in ("VPN caída", "Impresora atascada", "Correo lento"):
        open_ticket(world.luis, world.soporte, subject=subject)
    client.force_login(world.agente.user)
    url = reverse("desk:queue", args=[world.soporte.slug])
    client.get(url)

    bare = _measure(client, url, {}, django_assert_max_num_queries)
    as_is = client.get(url)
    filtered = client.get(url, {"q": "vpn"}, follow=True)
    filtered_queries = _measure(client, f"{url}?q=vpn", {}, django_assert_max_num_queries)

    soporte = next(entry for entry in as_is.context["sidebar"] if entry.current)
    assert soporte.count == as_is.context["page"].paginator.count == len(as_is.context["rows"]) == 3
    assert filtered.context["page"].paginator.count == len(filtered.context["rows"]) == 1
    assert filtered_queries > bare  # the filtered list counts itself (and ranks its matches)


def test_the_sidebar_queues_and_the_rows_names_follow_changes_at_once(client, world):
    """The agent's queues, the companies' and the engineers' names come from the kept
    copies (`vocabulary.parties`): each change shows on the next page."""
    ticket = open_ticket(world.luis, world.soporte)
    assign(world, ticket, world.agente)
    extra = Queue.objects.create(slug="telefonia", name="Telefonía")
    client.force_login(world.agente.user)
    first = client.get(reverse("desk:home"))
    assert "queue:telefonia" not in counts(first)

    extra.agents.add(world.agente.pk)
    world.acme.name = "Acme Andina"
    world.acme.save()
    world.agente.user.full_name = "Agente Renombrado"
    world.agente.user.save()
    page = client.get(reverse("desk:home"))

    assert "queue:telefonia" in counts(page)
    (row,) = page.context["rows"]
    assert (row.ticket.organization_name, row.assignee) == ("Acme Andina", "Agente Renombrado")
    extra.agents.remove(world.agente.pk)
    assert "queue:telefonia" not in counts(client.get(reverse("desk:home")))
    assert client.get(reverse("desk:queue", args=["telefonia"])).status_code == 404


def test_the_inbox_reads_no_queue_company_or_engineer(client, world):
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assign(world, open_ticket(world.luis, world.soporte), world.agente)
    client.force_login(world.agente.user)
    client.get(reverse("desk:home"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("desk:home"))
    read_from = {re.findall(r'FROM "(\w+)"', query["sql"])[0] for query in captured.captured_queries}
    joined = " ".join(query["sql"].split(" WHERE ")[0] for query in captured.captured_queries)

    assert not read_from & {"tickets_queue", "accounts_agent", "accounts_organization"}
    assert '"accounts_organization"' not in joined
