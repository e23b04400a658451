"""The inbox's refresh when nothing changed: a 204 that reads no ticket, and the views'
counts read back until a ticket changes; hostile `shown` values only cost a drawing."""

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from atiende.tickets import actions, freshness
from atiende.tickets.models import Channel, Ticket
from tests.factories import open_ticket

HTMX = {"HX-Request": "true"}


def refresh_url(response):
    """The address the list polls, as the browser reads it from the page or the fragment."""
    found = re.search(r'id="inbox-list"[^>]*hx-get="([^"]+)"', response.content.decode())
    assert found, "the list polls nothing"
    return html.unescape(found[1])


def counts(response):
    """The sidebar's counts as drawn (a fragment keeps no template context), by view:
    "mine", "unassigned", "all" or "queue:<slug>"."""
    names = {
        reverse("desk:home"): "mine",
        reverse("desk:unassigned"): "unassigned",
        reverse("desk:all"): "all",
    }
    drawn = re.findall(
        r'<a href="([^"?]+)[^"]*"[^>]*><span class="label">[^<]*</span> <span class="view-count">(\d+)</span>',
        response.content.decode(),
    )
    assert drawn, "no sidebar drawn"
    return {names.get(href) or "queue:" + href.rstrip("/").rsplit("/", 1)[1]: int(n) for href, n in drawn}


@pytest.fixture
def agent_page(client, world):
    open_ticket(world.luis, world.soporte, subject="Impresora atascada")
    client.force_login(world.agente.user)
    return client.get(reverse("desk:unassigned"))


def test_a_refresh_with_nothing_changed_answers_204_and_reads_no_ticket(
    client, agent_page, django_assert_num_queries
):
    # The session and the signed-in user are kept: nothing is read.
    with django_assert_num_queries(0):
        response = client.get(refresh_url(agent_page), headers=HTMX)

    assert response.status_code == 204
    assert response.content == b""
    assert "HX-Request" in response["Vary"]


def test_the_fragment_drawn_by_a_refresh_polls_with_its_own_stamp(client, world, agent_page):
    open_ticket(world.ana, world.soporte, subject="Monitor sin señal")

    fragment = client.get(refresh_url(agent_page), headers=HTMX)

    assert fragment.status_code == 200
    assert client.get(refresh_url(fragment), headers=HTMX).status_code == 204
    assert refresh_url(fragment).count("shown=") == 1


def test_a_change_to_any_ticket_draws_the_list_and_its_counts_again(client, world, agent_page):
    before = counts(agent_page)["unassigned"]

    ticket = open_ticket(world.ana, world.soporte, subject="Monitor sin señal")
    fragment = client.get(refresh_url(agent_page), headers=HTMX)

    assert fragment.status_code == 200
    assert "Monitor sin señal" in fragment.content.decode()
    assert counts(fragment)["unassigned"] == before + 1

    actions.assign_ticket(world.supervisor.user, ticket, world.agente)
    again = client.get(refresh_url(fragment), headers=HTMX)
    assert again.status_code == 200
    assert counts(again)["unassigned"] == before
    assert counts(again)["mine"] == 1


def test_a_reply_on_a_ticket_of_another_queue_also_counts_as_a_change(client, world, agent_page):
    elsewhere = open_ticket(world.carla, world.redes)
    shown = refresh_url(agent_page)
    assert client.get(shown, headers=HTMX).status_code == 200  # the ticket opened above

    fresh = refresh_url(client.get(shown, headers=HTMX))
    actions.add_reply(world.carla.user, elsewhere, channel=Channel.WEB, text="¿Novedades?")

    # A stamp for every ticket: correct, if more often drawn than strictly needed.
    assert client.get(fresh, headers=HTMX).status_code == 200


def test_the_stamp_changes_again_once_the_change_commits(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)
        during = freshness.stamp(world.agente.user.pk)
    # A page that took its stamp between the change and its commit drew the old list.
    assert freshness.stamp(world.agente.user.pk) != during


def test_seeing_a_ticket_draws_that_persons_list_again_and_nobody_elses(client, world, agent_page):
    ticket = Ticket.objects.get(pk=agent_page.context["rows"][0].ticket.pk)
    assert agent_page.context["rows"][0].news
    client.force_login(world.supervisor.user)
    supervisors = refresh_url(client.get(reverse("desk:unassigned")))
    client.force_login(world.agente.user)
    agents = refresh_url(agent_page)

    actions.mark_seen(world.agente.user, ticket)

    fragment = client.get(agents, headers=HTMX)
    assert fragment.status_code == 200
    assert "has-news" not in fragment.content.decode()
    client.force_login(world.supervisor.user)
    assert client.get(supervisors, headers=HTMX).status_code == 204


def test_the_list_is_drawn_again_after_a_minute_whatever_the_stamp(client, agent_page):
    shown = refresh_url(agent_page)
    later = timezone.now() + datetime.timedelta(seconds=freshness.HOLDS_FOR + 1)

    with time_machine.travel(later):
        assert client.get(shown, headers=HTMX).status_code == 200


def test_a_stamp_lost_from_the_cache_draws_the_list_again(client, agent_page):
    from django.core.cache import cache

    cache.delete(freshness.CHANGED)

    assert client.get(refresh_url(agent_page), headers=HTMX).status_code == 200


def test_another_persons_shown_value_draws_the_list_for_the_one_asking(client, world, agent_page):
    client.force_login(world.supervisor.user)
    supervisors = refresh_url(client.get(reverse("desk:unassigned")))
    client.force_login(world.agente.user)

    fragment = client.get(supervisors, headers=HTMX)

    assert fragment.status_code == 200
    assert "all" not in counts(fragment)  # the agent's own views, not the supervisor's


@pytest.mark.parametrize(
    "value",
    [
        "",
        "-",
        "x",
        "{stamp}",
        "{stamp}-",
        "{stamp}-abc",
        "{stamp}-²",
        "{stamp}--1",
        "{stamp}-9999999999999",
        "{stamp}-{future}",
        "{stamp}-{now}x",
        "{stamp}-{now}-{now}",
        "x" * 10_000,
        "'><script>alert(1)</script>",
    ],
)
def test_hostile_shown_values_only_draw_the_list(client, world, agent_page, value):
    stamp = freshness.stamp(world.agente.user.pk)
    now = int(timezone.now().timestamp())
    shown = value.format(stamp=stamp, now=now, future=now + 3600)

    response = client.get(reverse("desk:unassigned"), {"shown": shown}, headers=HTMX)

    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_the_refresh_address_opened_as_a_page_goes_to_the_lists_own_address(client, agent_page):
    response = client.get(refresh_url(agent_page))

    assert response.status_code == 302
    assert response["Location"] == reverse("desk:unassigned")


def test_the_refresh_of_a_saved_view_keeps_the_saved_filters(client, world):
    from atiende.tickets.models import SavedView

    open_ticket(world.luis, world.soporte, subject="VPN caída")
    open_ticket(world.luis, world.soporte, subject="Impresora atascada")
    view = SavedView.objects.create(owner=world.agente.user, name="VPN", query="q=vpn")
    client.force_login(world.agente.user)
    page = client.get(reverse("desk:saved-view", args=[view.pk]))
    open_ticket(world.ana, world.soporte, subject="Impresora sin tóner")

    fragment = client.get(refresh_url(page), headers=HTMX)

    assert fragment.status_code == 200
    assert "VPN caída" in fragment.content.decode()
    assert "Impresora" not in fragment.content.decode()


def test_the_counts_are_read_back_until_a_ticket_changes(
    client, world, agent_page, django_assert_max_num_queries
):
    url = reverse("desk:unassigned")

    with django_assert_max_num_queries(40) as kept:
        again = client.get(url)
    open_ticket(world.ana, world.soporte)
    with django_assert_max_num_queries(40) as counted:
        changed = client.get(url)

    def counting(queries):
        return [query for query in queries.captured_queries if "COUNT(*)" in query["sql"]]

    assert not counting(kept) and counting(counted)
    assert counts(again) == counts(agent_page)
    assert counts(changed)["unassigned"] == counts(agent_page)["unassigned"] + 1


def test_counts_are_kept_apart_per_person(client, world, agent_page):
    client.force_login(world.supervisor.user)
    supervisors = counts(client.get(reverse("desk:unassigned")))
    client.force_login(world.agente.user)

    assert counts(client.get(reverse("desk:unassigned"))) == counts(agent_page)
    assert "all" in supervisors and "all" not in counts(agent_page)


def test_a_new_queue_membership_shows_on_the_next_page(client, world, agent_page):
    world.redes.agents.add(world.agente)

    page = client.get(reverse("desk:unassigned"))

    assert "queue:redes" in counts(page)
