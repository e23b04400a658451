"""The ticket resources: list, one ticket, opening and changing tickets, as each of the cast."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from atiende.accounts.models import User
from atiende.desk.inbox import rows
from atiende.outbox.models import OutboundEmail
from atiende.tickets import actions, ledger
from atiende.tickets.models import Channel, HistoryEvent, Priority, Ticket
from tests.conftest import World
from tests.factories import open_ticket

pytestmark = pytest.mark.django_db

LIST = "/api/v1/tickets/"


def as_user(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def numbers(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["results"]]


@pytest.fixture
def tickets(world: World) -> dict[str, Ticket]:
    return {
        "luis": open_ticket(world.luis, world.soporte, subject="Impresora atascada"),
        "ana": open_ticket(world.ana, world.redes, subject="Wi-Fi intermitente"),
        "carla": open_ticket(world.carla, world.soporte, subject="Correo lento"),
    }


def test_an_agent_lists_the_tickets_of_their_queues_only(world: World, tickets: dict[str, Ticket]) -> None:
    found = numbers(as_user(world.agente.user).get(LIST))
    assert sorted(found) == sorted([tickets["luis"].number, tickets["carla"].number])


def test_a_contact_lists_their_own_and_a_company_wide_contact_the_companys(
    world: World, tickets: dict[str, Ticket]
) -> None:
    assert numbers(as_user(world.luis.user).get(LIST)) == [tickets["luis"].number]
    assert sorted(numbers(as_user(world.ana.user).get(LIST))) == sorted(
        [tickets["luis"].number, tickets["ana"].number]
    )
    assert numbers(as_user(world.carla.user).get(LIST)) == [tickets["carla"].number]


def test_anonymous_callers_are_refused(world: World, tickets: dict[str, Ticket]) -> None:
    response = APIClient().get(LIST)
    assert response.status_code in {401, 403}


def test_the_list_filters_like_the_desk(world: World, tickets: dict[str, Ticket]) -> None:
    client = as_user(world.supervisor.user)
    assert numbers(client.get(LIST, {"company": world.globex.pk})) == [tickets["carla"].number]
    assert numbers(client.get(LIST, {"queue": world.redes.pk})) == [tickets["ana"].number]
    assert numbers(client.get(LIST, {"requester": world.luis.pk})) == [tickets["luis"].number]
    actions.close_ticket(world.supervisor.user, tickets["luis"], channel=Channel.WEB)
    assert numbers(client.get(LIST, {"state": "closed"})) == [tickets["luis"].number]
    assert tickets["luis"].number not in numbers(client.get(LIST, {"state": "open"}))
    actions.change_ticket(world.supervisor.user, tickets["ana"], tags=["vip"], assignee=None)
    assert numbers(client.get(LIST, {"tags": "VIP"})) == [tickets["ana"].number]
    assert numbers(client.get(LIST, {"assignee": "none", "queue": str(world.redes.pk)})) == [
        tickets["ana"].number
    ]
    assert numbers(client.get(LIST, {"created_after": "2999-01-01T00:00:00Z"})) == []


def test_search_finds_words_of_the_subject_among_visible_tickets_only(
    world: World, tickets: dict[str, Ticket]
) -> None:
    assert numbers(as_user(world.supervisor.user).get(LIST, {"q": "atascadas"})) == [tickets["luis"].number]
    assert numbers(as_user(world.carla.user).get(LIST, {"q": "atascada"})) == []


def test_cursor_pages_walk_every_ticket_once(world: World) -> None:
    opened = {open_ticket(world.luis, world.soporte, subject=f"Caso {n}").number for n in range(7)}
    client = as_user(world.agente.user)
    seen: list[int] = []
    url: str | None = f"{LIST}?page_size=3&sort=number"
    while url:
        response = client.get(url)
        seen += numbers(response)
        url = response.json()["next"]
    assert seen == sorted(opened)


@pytest.mark.parametrize("sort", ["activity", "-activity", "created", "-created", "-number"])
def test_cursor_pages_walk_forward_and_back_in_every_sort(world: World, sort: str) -> None:
    """Ties on the first column (tickets touched in the same instant) included."""
    opened = [open_ticket(world.luis, world.soporte, subject=f"Caso {n}") for n in range(7)]
    Ticket.objects.filter(pk__in=[t.pk for t in opened[:4]]).update(
        last_activity_at=opened[0].last_activity_at, created_at=opened[0].created_at
    )
    client = as_user(world.agente.user)
    forward: list[int] = []
    url: str | None = f"{LIST}?page_size=3&sort={sort}"
    last: Any = None
    while url:
        last = client.get(url)
        forward += numbers(last)
        url = last.json()["next"]
    backward: list[int] = []
    url = last.json()["previous"]
    while url:
        page = client.get(url)
        backward = numbers(page) + backward
        url = page.json()["previous"]

    assert sorted(forward) == sorted(t.number for t in opened) and len(set(forward)) == 7
    assert backward == forward[: len(backward)] and len(backward) >= 6


def test_the_list_orders_as_the_desk_inbox_so_the_same_index_serves_both(world: World) -> None:
    """The open-ticket indexes are built in the desk's order (nulls last); an API list in
    PostgreSQL's default descending order (nulls first) would sort every open ticket of the
    queue instead of reading 50 from the index."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    open_ticket(world.luis, world.soporte)
    client = as_user(world.agente.user)
    client.get(LIST)

    # The desk reads its rows as values and PostgreSQL is told to order by that column's
    # place in the select list, which it plans as the column itself.
    by_place = f"ORDER BY {rows._COLUMNS.index('last_activity_at') + 1} "

    def order_by(url: str) -> str:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        listing = [
            q["sql"].replace(by_place, 'ORDER BY "tickets_ticket"."last_activity_at" ')
            for q in captured.captured_queries
            if 'ORDER BY "tickets_ticket"."last_activity_at"' in q["sql"] or by_place in q["sql"]
        ]
        assert len(listing) == 1, listing
        return listing[0].split("ORDER BY")[-1].split("LIMIT")[0].strip()

    api = order_by(f"{LIST}?queue={world.soporte.pk}&state=open")
    desk = order_by(reverse("desk:queue", args=[world.soporte.slug]))

    assert api == '"tickets_ticket"."last_activity_at" DESC NULLS LAST, "tickets_ticket"."id" DESC NULLS LAST'
    assert desk == api


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_costs_the_same_queries_for_one_ticket_or_thirty(
    world: World, count: int, django_assert_num_queries: Any
) -> None:
    for n in range(count):
        ticket = open_ticket(world.luis, world.soporte, subject=f"Caso {n}")
        actions.change_ticket(world.agente.user, ticket, tags=["red"], assignee=world.agente)
    client = as_user(world.agente.user)
    client.get(LIST)  # the session settles
    with django_assert_num_queries(6):
        response = client.get(LIST, {"expand": "requester,company,messages"})
    assert len(response.json()["results"]) == count


def test_expand_gives_the_requester_company_and_thread(world: World, tickets: dict[str, Ticket]) -> None:
    client = as_user(world.agente.user)
    plain = client.get(f"{LIST}{tickets['luis'].number}/").json()
    assert set(plain["requester"]) == {"id", "name"}
    assert "messages" not in plain
    full = client.get(f"{LIST}{tickets['luis'].number}/", {"expand": "requester,company,messages"}).json()
    assert full["requester"]["email"] == "luis@acme.test"
    assert full["company"]["email_domains"] == "acme.test"
    assert [m["text"] for m in full["messages"]] == ["Desde esta mañana la impresora del piso 2 no responde."]


def test_a_ticket_outside_the_callers_reach_is_not_found(world: World, tickets: dict[str, Ticket]) -> None:
    number = tickets["luis"].number
    assert as_user(world.otro.user).get(f"{LIST}{number}/").status_code == 404
    assert as_user(world.carla.user).get(f"{LIST}{number}/").status_code == 404
    assert as_user(world.ana.user).get(f"{LIST}{number}/").status_code == 200
    assert as_user(world.luis.user).get(f"{LIST}{tickets['ana'].number}/").status_code == 404


def test_a_contact_opens_a_ticket_with_a_file_exactly_as_from_the_web(world: World) -> None:
    client = as_user(world.luis.user)
    response = client.post(
        LIST,
        {
            "subject": "Pantalla negra",
            "text": "El monitor no enciende.",
            "queue": world.soporte.pk,
            "files": [SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\nfoto", content_type="image/png")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(number=response.json()["number"])
    assert response["Location"] == f"{LIST}{ticket.number}/"
    assert ticket.channel == Channel.API
    assert ticket.requester == world.luis
    assert ticket.organization == world.acme
    assert [a.filename for a in ticket.attachments.all()] == ["foto.png"]
    assert HistoryEvent.objects.filter(ticket=ticket, channel=Channel.API).exists()
    assert ledger.verify(ticket) == []
    web = open_ticket(world.luis, world.soporte, subject="Desde la web")

    def notices(number: int) -> list[tuple[str, list[str]]]:
        return sorted((e.kind, e.to) for e in OutboundEmail.objects.filter(ticket_number=number))

    assert notices(ticket.number) == notices(web.number)
    assert any("luis@acme.test" in to for _kind, to in notices(ticket.number))


def test_an_agent_opens_a_ticket_on_a_contacts_behalf(world: World) -> None:
    high = Priority.objects.order_by("-level").first()
    assert high is not None
    response = as_user(world.agente.user).post(
        LIST,
        {
            "subject": "Llamada: sin internet",
            "text": "Llamó desde la sede norte.",
            "queue": world.soporte.pk,
            "requester": world.carla.pk,
            "priority": high.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(number=response.json()["number"])
    assert (ticket.requester, ticket.organization, ticket.created_by) == (
        world.carla,
        world.globex,
        world.agente.user,
    )
    assert ticket.priority == high


def test_a_contact_cannot_open_a_ticket_for_someone_else(world: World) -> None:
    response = as_user(world.luis.user).post(
        LIST,
        {"subject": "Ajeno", "text": "x", "queue": world.soporte.pk, "requester": world.carla.pk},
        format="json",
    )
    assert response.status_code == 403
    assert not Ticket.objects.filter(subject="Ajeno").exists()


def test_a_retried_create_with_the_same_idempotency_key_opens_one_ticket(world: World) -> None:
    client = as_user(world.luis.user)
    body = {"subject": "Sin red", "text": "No hay red en la sede.", "queue": world.soporte.pk}
    first = client.post(LIST, body, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    again = client.post(LIST, body, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"]
    assert Ticket.objects.filter(subject="Sin red").count() == 1


@pytest.mark.parametrize("query", ["status", "priority", "queue", "company", "requester", "category"])
def test_ids_too_big_for_the_database_match_nothing_instead_of_failing(
    world: World, tickets: dict[str, Ticket], query: str
) -> None:
    assert numbers(as_user(world.supervisor.user).get(LIST, {query: str(2**70)})) == []


def test_a_filter_value_that_is_not_a_number_is_a_400_problem(world: World) -> None:
    response = as_user(world.agente.user).get(LIST, {"status": "abierto"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_new_ticket_continues_a_closed_one_and_another_companys_looks_missing(world: World) -> None:
    old = open_ticket(world.luis, world.soporte, subject="Caso viejo")
    actions.close_ticket(world.luis.user, old)
    client = as_user(world.luis.user)
    body = {
        "subject": "Sigue fallando",
        "text": "Otra vez.",
        "queue": world.soporte.pk,
        "continues": old.number,
    }
    response = client.post(LIST, body, format="json")
    assert response.status_code == 201, response.content
    new = Ticket.objects.get(number=response.json()["number"])
    assert new.links_out.get().target == old
    foreign = open_ticket(world.carla, world.soporte)
    refused = client.post(LIST, {**body, "continues": foreign.number}, format="json")
    missing = client.post(LIST, {**body, "continues": 999999}, format="json")
    assert refused.status_code == missing.status_code == 400
    assert refused.json()["detail"].replace(str(foreign.number), "N") == missing.json()["detail"].replace(
        "999999", "N"
    )


def _cursor(payload: object) -> str:
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64-$$$",
        _cursor("a string"),
        _cursor({"b": False}),
        _cursor({"b": "yes", "p": ["2026-01-01T00:00:00+00:00", 1]}),
        _cursor({"b": False, "p": ["2026-01-01T00:00:00+00:00"]}),  # one value for two columns
        _cursor({"b": False, "p": ["2026-01-01T00:00:00", 1]}),  # a time without its zone
        _cursor({"b": False, "p": ["ayer", 1]}),
        _cursor({"b": False, "p": [17, 1]}),
        _cursor({"b": False, "p": ["2026-01-01T00:00:00+00:00", 2**70]}),
        _cursor({"b": False, "p": ["2026-01-01T00:00:00+00:00", "1 OR 1=1"]}),
        _cursor({"b": False, "p": ["2026-01-01T00:00:00+00:00", True]}),
        "A" * 5000,
    ],
)
def test_a_forged_cursor_is_a_404_problem_never_a_500(world: World, cursor: str) -> None:
    open_ticket(world.luis, world.soporte)

    response = as_user(world.agente.user).get(LIST, {"cursor": cursor})

    assert response.status_code == 404, response.content
    assert response["content-type"] == "application/problem+json"


def test_a_cursor_made_for_another_sort_is_refused(world: World) -> None:
    for n in range(3):
        open_ticket(world.luis, world.soporte, subject=f"Caso {n}")
    client = as_user(world.agente.user)
    next_by_number = client.get(LIST, {"page_size": "1", "sort": "number"}).json()["next"]
    cursor = next_by_number.split("cursor=")[1].split("&")[0]

    response = client.get(LIST, {"page_size": "1", "sort": "-activity", "cursor": cursor})

    assert response.status_code == 404
