"""Bulk changes from the inbox: a confirmation that changes nothing, then each ticket
through the domain actions, each with its own result."""

import pytest
from django.test import Client
from django.urls import reverse

from atiende.desk.inbox.bulk import MAX_BATCH
from atiende.tickets import actions
from atiende.tickets.models import HistoryEvent, Priority, Queue, Status, StatusKind, Ticket
from tests.factories import open_ticket


def review(client, tickets, change, **extra):
    data = {"ticket": [str(ticket.number) for ticket in tickets], "change": change, **extra}
    return client.post(reverse("desk:bulk"), data)


def apply(client, tickets, change, **extra):
    numbers = [str(ticket if isinstance(ticket, int) else ticket.number) for ticket in tickets]
    return client.post(reverse("desk:bulk-apply"), {"ticket": numbers, "change": change, **extra})


def outcomes(response):
    return {outcome.number: (outcome.done, outcome.message) for outcome in response.context["outcomes"]}


@pytest.fixture
def two(client, world):
    client.force_login(world.agente.user)
    return [open_ticket(world.luis, world.soporte), open_ticket(world.ana, world.soporte)]


def _history(ticket, field):
    return list(HistoryEvent.objects.filter(ticket=ticket, field=field).values_list("new_value", flat=True))


# --- the confirmation ------------------------------------------------------------------


def test_the_confirmation_lists_the_tickets_and_the_change_and_changes_nothing(client, world, two):
    before = HistoryEvent.objects.count()

    page = review(client, two, f"priority:{Priority.objects.get(level=1).pk}")

    assert page.status_code == 200
    html = page.content.decode()
    assert all(f"#{ticket.number}" in html for ticket in two)
    assert "Urgente" in page.context["change"].description
    assert 'action="/desk/bulk/apply/"' in html
    assert HistoryEvent.objects.count() == before
    assert {ticket.priority.level for ticket in Ticket.objects.all()} == {3}


def test_the_confirmation_names_the_tickets_that_cannot_be_found(client, world, two):
    theirs = open_ticket(world.carla, world.redes, subject="Switch caído")

    page = review(client, [*two, theirs], "close")

    assert [ticket.number for ticket in page.context["tickets"]] == [ticket.number for ticket in two]
    assert page.context["missing"] == [theirs.number]
    html = page.content.decode()
    assert f"#{theirs.number}" in html
    assert "Switch caído" not in html


def test_a_batch_larger_than_the_limit_is_refused_with_a_clear_message(client, world):
    client.force_login(world.agente.user)
    numbers = [str(number) for number in range(1, MAX_BATCH + 2)]

    page = client.post(reverse("desk:bulk"), {"ticket": numbers, "change": "close"})
    applied = client.post(reverse("desk:bulk-apply"), {"ticket": numbers, "change": "close"})

    assert page.status_code == applied.status_code == 400
    assert "201" in page.context["error"] and "200" in page.context["error"]
    assert "outcomes" not in applied.context


def test_nothing_selected_or_no_change_chosen_is_refused(client, world, two):
    assert review(client, [], "close").status_code == 400
    assert review(client, two, "").status_code == 400
    assert review(client, two, "priority:9999").status_code == 400
    assert review(client, two, "tag", tag="  ").status_code == 400


def test_bulk_pages_take_only_posts(client, world, two):
    assert client.get(reverse("desk:bulk")).status_code == 405
    assert client.get(reverse("desk:bulk-apply")).status_code == 405


def test_bulk_changes_need_the_csrf_token(world):
    ticket = open_ticket(world.luis, world.soporte)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.agente.user)

    response = strict.post(reverse("desk:bulk-apply"), {"ticket": [ticket.number], "change": "close"})

    assert response.status_code == 403
    assert not Ticket.objects.get(pk=ticket.pk).is_closed


# --- each action -----------------------------------------------------------------------


def test_assigning_to_an_agent_goes_through_the_action_and_writes_history(client, world, two):
    world.soporte.agents.add(world.otro)

    done = apply(client, two, f"assign:{world.otro.pk}")

    assert all(result == (True, "") for result in outcomes(done).values())
    for ticket in two:
        ticket.refresh_from_db()
        assert ticket.assignee == world.otro
        assert _history(ticket, "assignee") == ["Otro Redes"]


def test_assigning_to_me(client, world, two):
    apply(client, two, "assign:me")

    assert set(Ticket.objects.values_list("assignee", flat=True)) == {world.agente.pk}


def test_unassigning_gives_the_tickets_back_to_the_queue(client, world, two):
    for ticket in two:
        actions.take_ticket(world.agente.user, ticket)

    apply(client, two, "assign:none")

    assert set(Ticket.objects.values_list("assignee", flat=True)) == {None}


def test_changing_the_stage(client, world, two):
    pending = Status.objects.get(kind=StatusKind.PENDING)

    apply(client, two, f"stage:{pending.pk}")

    for ticket in two:
        ticket.refresh_from_db()
        assert ticket.status == pending
        assert _history(ticket, "status") == ["Esperando cliente"]


def test_changing_the_priority(client, world, two):
    high = Priority.objects.get(level=2)

    apply(client, two, f"priority:{high.pk}")

    assert set(Ticket.objects.values_list("priority", flat=True)) == {high.pk}
    assert all(_history(ticket, "priority") == ["Alta"] for ticket in two)


def test_moving_to_another_queue(client, world, two):
    apply(client, two, f"queue:{world.redes.pk}")

    assert set(Ticket.objects.values_list("queue", flat=True)) == {world.redes.pk}
    assert all(_history(ticket, "queue") == ["Redes"] for ticket in two)


def test_adding_a_tag_keeps_the_tags_already_there(client, world, two):
    actions.change_ticket(world.agente.user, two[0], tags=["impresora"])

    done = apply(client, two, "tag", tag=" VPN ")

    assert sorted(two[0].tags.values_list("name", flat=True)) == ["impresora", "vpn"]
    assert list(two[1].tags.values_list("name", flat=True)) == ["vpn"]
    assert all(done for done, _message in outcomes(done).values())


def test_closing(client, world, two):
    apply(client, two, "close")

    for ticket in two:
        ticket.refresh_from_db()
        assert ticket.is_closed
        assert _history(ticket, "status") == ["Cerrado"]


def test_a_change_that_is_already_so_is_reported_as_nothing_to_do(client, world, two):
    done = apply(client, two, f"priority:{Priority.objects.get(level=3).pk}")

    assert all(done and message for done, message in outcomes(done).values())


# --- mixed batches -----------------------------------------------------------------------


def test_a_ticket_of_another_queue_is_reported_and_the_others_change(client, world, two):
    theirs = open_ticket(world.carla, world.redes, subject="Switch caído")
    urgent = Priority.objects.get(level=1)

    done = apply(client, [two[0], theirs, two[1], 999999], f"priority:{urgent.pk}")

    results = outcomes(done)
    assert list(results) == [two[0].number, theirs.number, two[1].number, 999999]
    assert results[theirs.number][0] is False
    assert results[999999] == results[theirs.number]
    assert results[theirs.number][1] == done.context["outcomes"][1].message != ""
    assert results[two[0].number] == results[two[1].number] == (True, "")
    theirs.refresh_from_db()
    assert theirs.priority.level == 3
    assert not HistoryEvent.objects.filter(ticket=theirs, field="priority").exists()
    assert Ticket.objects.filter(pk__in=[ticket.pk for ticket in two], priority=urgent).count() == 2
    html = done.content.decode()
    assert "Switch caído" not in html
    assert f"#{theirs.number}" in html


def test_a_refusal_by_the_action_is_reported_with_its_reason(client, world, two):
    actions.close_ticket(world.agente.user, two[1])

    done = apply(client, two, "close")

    results = outcomes(done)
    assert results[two[0].number] == (True, "")
    refused, reason = results[two[1].number]
    assert refused is False
    assert f"#{two[1].number}" in reason  # the closed-ticket message, naming the ticket
    assert done.context["done"] == 1 and done.context["refused"] == 1


def test_assigning_an_agent_outside_the_queue_is_refused_ticket_by_ticket(client, world, two):
    redes = open_ticket(world.carla, world.redes)
    world.redes.agents.add(world.agente)

    done = apply(client, [*two, redes], f"assign:{world.otro.pk}")

    results = outcomes(done)
    assert [done for done, _message in results.values()] == [False, False, True]
    assert "Otro Redes" in results[two[0].number][1]
    assert Ticket.objects.get(pk=redes.pk).assignee == world.otro


def test_moving_to_an_inactive_queue_is_refused_before_anything_changes(client, world, two):
    closed_queue = Queue.objects.create(name="Archivo", slug="archivo", is_active=False)

    page = apply(client, two, f"queue:{closed_queue.pk}")

    assert page.status_code == 400
    assert set(Ticket.objects.values_list("queue", flat=True)) == {world.soporte.pk}


def test_the_result_page_links_back_to_the_list_it_came_from(client, world, two):
    done = apply(client, two, "close", next="/desk/unassigned/?q=vpn")

    assert done.context["back"] == "/desk/unassigned/?q=vpn"
    assert 'href="/desk/unassigned/?q=vpn"' in done.content.decode()


def test_a_supervisor_changes_tickets_of_any_queue(client, world):
    tickets = [open_ticket(world.luis, world.soporte), open_ticket(world.carla, world.redes)]
    client.force_login(world.supervisor.user)

    done = apply(client, tickets, "assign:me")

    assert all(result == (True, "") for result in outcomes(done).values())
