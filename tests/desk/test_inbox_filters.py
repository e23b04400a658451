"""The inbox's sort, filters and search, all carried in the URL."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from atiende.desk.inbox import views
from atiende.desk.inbox.filters import InboxFilters
from atiende.tickets import actions
from atiende.tickets.models import Category, Channel, Priority, Status, StatusKind, TicketType
from tests.factories import open_ticket


def listed(client, **query):
    response = client.get(reverse("desk:all"), query, follow=True)
    assert response.status_code == 200
    return [row.ticket.number for row in response.context["rows"]]


@pytest.fixture
def supervisor(client, world):
    client.force_login(world.supervisor.user)
    return world.supervisor


def _priority(level):
    return Priority.objects.get(level=level)


def _status(kind):
    return Status.objects.get(kind=kind, is_default=True)


# --- sort --------------------------------------------------------------------------------


@pytest.fixture
def three(world):
    """Three tickets that sort differently on every column."""
    a = open_ticket(world.carla, world.redes, subject="Actualizar antivirus", priority=_priority(4))
    b = open_ticket(world.luis, world.soporte, subject="Cambiar clave", priority=_priority(1))
    c = open_ticket(world.ana, world.soporte, subject="Backup fallido", priority=_priority(2))
    actions.assign_ticket(world.supervisor.user, b, world.agente)
    actions.assign_ticket(world.supervisor.user, a, world.otro)
    actions.change_status(world.supervisor.user, c, Status.objects.get(kind=StatusKind.PENDING))
    actions.add_note(world.supervisor.user, a, text="Revisado")
    return a, b, c


@pytest.mark.parametrize(
    ("sort", "ascending", "descending"),
    [
        ("number", "abc", "cba"),
        ("subject", "acb", "bca"),  # Actualizar, Backup, Cambiar
        ("company", "bca", "acb"),  # Acme (b, c), Globex; ties by id
        ("requester", "cab", "bac"),  # Ana, Carla, Luis
        ("stage", "abc", "cba"),  # Nuevo (a, b), Esperando cliente
        ("priority", "bca", "acb"),  # Urgente, Alta, Baja
        ("assignee", "bac", "abc"),  # Agente, Otro; nobody last both ways
        ("activity", "bca", "acb"),
    ],
)
def test_the_list_sorts_by_each_column_both_ways(client, supervisor, three, sort, ascending, descending):
    tickets = dict(zip("abc", three, strict=True))

    assert listed(client, sort=sort) == [tickets[letter].number for letter in ascending]
    assert listed(client, sort=f"-{sort}") == [tickets[letter].number for letter in descending]


def test_the_default_order_is_the_most_recent_activity_first(client, supervisor, three):
    a, b, c = three

    assert listed(client) == [a.number, c.number, b.number]


def test_the_column_headers_sort_and_reverse(client, supervisor, three):
    page = client.get(reverse("desk:all"), {"sort": "priority", "q": "impresora"}, follow=True)

    columns = {column.key: column for column in page.context["columns"]}
    assert columns["priority"].sorted == "ascending"
    assert columns["priority"].href == "?q=impresora&sort=-priority"
    assert columns["subject"].sorted is None
    assert columns["subject"].href == "?q=impresora&sort=subject"
    assert columns["activity"].href == "?q=impresora"  # most recent first is the default
    assert 'aria-sort="ascending"' in page.content.decode()


# --- filters -------------------------------------------------------------------------------


def test_the_state_filter_shows_open_closed_or_all(client, supervisor, world):
    open_one = open_ticket(world.luis, world.soporte)
    closed = open_ticket(world.luis, world.soporte)
    actions.close_ticket(world.supervisor.user, closed)

    assert listed(client) == [open_one.number]
    assert listed(client, state="closed") == [closed.number]
    assert set(listed(client, state="all")) == {open_one.number, closed.number}


def test_the_stage_filter_takes_one_or_several_stages(client, supervisor, world):
    new = open_ticket(world.luis, world.soporte)
    pending = open_ticket(world.luis, world.soporte)
    actions.change_status(world.supervisor.user, pending, _status(StatusKind.PENDING))
    resolved = open_ticket(world.luis, world.soporte)
    actions.change_status(world.supervisor.user, resolved, _status(StatusKind.RESOLVED))

    assert listed(client, stage=_status(StatusKind.PENDING).pk) == [pending.number]
    both = listed(client, stage=[_status(StatusKind.NEW).pk, _status(StatusKind.RESOLVED).pk])
    assert set(both) == {new.number, resolved.number}


def test_the_priority_filter(client, supervisor, world):
    urgent = open_ticket(world.luis, world.soporte, priority=_priority(1))
    open_ticket(world.luis, world.soporte)

    assert listed(client, priority=_priority(1).pk) == [urgent.number]


def test_the_queue_filter(client, supervisor, world):
    redes = open_ticket(world.carla, world.redes)
    open_ticket(world.luis, world.soporte)

    assert listed(client, queue=world.redes.pk) == [redes.number]


def test_the_type_filter(client, supervisor, world):
    question = TicketType.objects.get(name_es="Pregunta")
    asked = open_ticket(world.luis, world.soporte, type=question)
    open_ticket(world.luis, world.soporte)

    assert listed(client, type=question.pk) == [asked.number]


def test_the_category_filter_includes_its_subcategories(client, supervisor, world):
    red = Category.objects.create(name_es="Red")
    wifi = Category.objects.create(name_es="Wi-Fi", parent=red)
    office = Category.objects.create(name_es="Office")
    on_red = open_ticket(world.luis, world.soporte, category=red)
    on_wifi = open_ticket(world.luis, world.soporte, category=wifi)
    open_ticket(world.luis, world.soporte, category=office)

    assert set(listed(client, category=red.pk)) == {on_red.number, on_wifi.number}
    assert listed(client, category=wifi.pk) == [on_wifi.number]


def test_the_company_filter(client, supervisor, world):
    globex = open_ticket(world.carla, world.soporte)
    open_ticket(world.luis, world.soporte)

    assert listed(client, company=world.globex.pk) == [globex.number]
    assert listed(client, company="globex") == [globex.number]
    assert listed(client, company="  GLOBEX   ltda. ") == [globex.number]
    assert listed(client, company="Initech") == []


def test_a_company_filter_by_id_shows_the_company_name(client, supervisor, world):
    page = client.get(reverse("desk:all"), {"company": world.globex.pk}).content.decode()

    assert 'name="company" value="Globex Ltda."' in page


def test_a_huge_number_as_company_is_read_as_words(client, supervisor, world):
    open_ticket(world.carla, world.soporte)

    assert listed(client, company="9" * 40) == []


def test_company_suggestions_offer_a_few_names_matching_what_was_typed(client, supervisor, world):
    url = reverse("desk:company-suggestions")

    assert (
        client.get(url, {"company": "glob"}).content.decode().strip()
        == '<option value="Globex Ltda."></option>'
    )
    assert client.get(url, {"company": "S.A"}).content.decode().count("<option") == 1
    assert client.get(url, {"company": ""}).content.decode().strip() == ""
    assert client.get(url, {"company": "<script>"}).content.decode().strip() == ""


@pytest.mark.parametrize("value", ["carla", "CARLA@GLOBEX", "Globex"])
def test_the_requester_filter_finds_by_name_or_email(client, supervisor, world, value):
    carlas = open_ticket(world.carla, world.soporte)
    open_ticket(world.luis, world.soporte)

    assert listed(client, requester=value) == [carlas.number]


def test_the_requester_filter_takes_a_contacts_id(client, supervisor, world):
    luis = open_ticket(world.luis, world.soporte)
    open_ticket(world.ana, world.soporte)

    assert listed(client, requester=world.luis.pk) == [luis.number]


def test_the_assignee_filter_knows_me_nobody_and_each_agent(client, supervisor, world):
    mine = open_ticket(world.luis, world.soporte)
    actions.take_ticket(world.supervisor.user, mine)
    agentes = open_ticket(world.luis, world.soporte)
    actions.assign_ticket(world.supervisor.user, agentes, world.agente)
    nobodys = open_ticket(world.luis, world.soporte)

    assert listed(client, assignee="me") == [mine.number]
    assert listed(client, assignee="none") == [nobodys.number]
    assert listed(client, assignee=world.agente.pk) == [agentes.number]


def test_the_channel_filter(client, supervisor, world):
    by_phone = open_ticket(world.luis, world.soporte, actor=world.agente.user, channel=Channel.PHONE)
    open_ticket(world.luis, world.soporte)

    assert listed(client, channel="phone") == [by_phone.number]
    assert len(listed(client, channel=["phone", "web"])) == 2


def test_the_tag_filter(client, supervisor, world):
    tagged = open_ticket(world.luis, world.soporte)
    actions.change_ticket(world.supervisor.user, tagged, tags=["vpn", "urgente-cliente"])
    other = open_ticket(world.luis, world.soporte)
    actions.change_ticket(world.supervisor.user, other, tags=["impresora"])

    assert listed(client, tag="vpn") == [tagged.number]
    assert listed(client, tag="VPN") == [tagged.number]


def _at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def test_the_date_filters_take_whole_days_of_creation_and_last_activity(client, supervisor, world):
    march_1, march_5, march_9 = (datetime.date(2025, 3, day) for day in (1, 5, 9))
    with time_machine.travel(_at(march_1, hour=23), tick=False):
        early = open_ticket(world.luis, world.soporte)
    with time_machine.travel(_at(march_5), tick=False):
        middle = open_ticket(world.luis, world.soporte)
    with time_machine.travel(_at(march_9), tick=False):
        actions.add_note(world.supervisor.user, early, text="Seguimiento")

    assert listed(client, created_from="2025-03-01", created_to="2025-03-01") == [early.number]
    assert listed(client, created_from="2025-03-02") == [middle.number]
    assert listed(client, created_to="2025-03-05", sort="number") == [early.number, middle.number]
    assert listed(client, active_from="2025-03-06") == [early.number]
    assert listed(client, active_to="2025-03-05") == [middle.number]


def test_filters_combine(client, supervisor, world):
    wanted = open_ticket(world.luis, world.soporte, priority=_priority(1))
    open_ticket(world.luis, world.redes, priority=_priority(1))
    open_ticket(world.luis, world.soporte, priority=_priority(2))

    assert listed(client, priority=_priority(1).pk, queue=world.soporte.pk) == [wanted.number]


def test_the_filter_forms_empty_fields_leave_a_short_address(client, supervisor, world):
    submitted = {"q": "vpn", "state": "open", "queue": "", "stage": "", "created_from": "", "sort": ""}

    response = client.get(reverse("desk:all"), submitted)

    assert response.status_code == 302
    assert response["Location"] == reverse("desk:all") + "?q=vpn"
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("desk:all"), {"page": "1", "state": "open"})["Location"] == reverse("desk:all")
    assert client.get(reverse("desk:all") + "?page=2&q=x")["Location"] == reverse("desk:all") + "?q=x&page=2"


def test_values_that_do_not_parse_are_ignored_not_an_error(client, supervisor, world):
    ticket = open_ticket(world.luis, world.soporte)

    numbers = listed(
        client,
        stage="x",
        priority="1; DROP",
        queue="",
        created_from="ayer",
        sort="password",
        state="everything",
        assignee="alguien",
        channel="fax",
        page="-3",
    )

    assert numbers == [ticket.number]


def test_the_filter_form_shows_the_values_in_use(client, supervisor, world):
    html = client.get(
        reverse("desk:all"),
        {"q": "vpn", "priority": _priority(1).pk, "created_from": "2025-03-01"},
        follow=True,
    ).content.decode()

    assert 'value="vpn"' in html
    assert f'value="{_priority(1).pk}" id="filter-priority_0" checked' in html
    assert 'value="2025-03-01"' in html
    assert '<details class="more-filters" open>' in html


def test_the_views_own_filter_is_left_out_of_the_form(client, world):
    client.force_login(world.agente.user)

    mine = client.get(reverse("desk:home")).content.decode()
    queue = client.get(reverse("desk:queue", args=["soporte"])).content.decode()

    assert 'name="assignee"' not in mine and 'name="queue"' in mine
    assert 'name="queue"' not in queue and 'name="assignee"' in queue


# --- search --------------------------------------------------------------------------------


@pytest.mark.parametrize("words", ["conexion", "CONEXIÓN lenta", "Conexión", "lenta conexion"])
def test_the_search_ignores_accents_and_case(client, supervisor, world, words):
    found = open_ticket(world.luis, world.soporte, subject="Conexión lenta en la sede")
    open_ticket(world.luis, world.soporte, subject="Impresora atascada")

    assert listed(client, q=words) == [found.number]


def test_the_search_finds_words_of_the_messages_and_the_number(client, supervisor, world):
    ticket = open_ticket(world.luis, world.soporte, subject="Falla", text="El módem parpadea en rojo")
    open_ticket(world.luis, world.soporte)

    assert listed(client, q="modem") == [ticket.number]
    assert listed(client, q=f"#{ticket.number}") == [ticket.number]


def test_the_search_keeps_the_other_filters(client, supervisor, world):
    open_ticket(world.luis, world.soporte, subject="VPN caída", priority=_priority(2))
    urgent = open_ticket(world.luis, world.soporte, subject="VPN caída", priority=_priority(1))

    assert listed(client, q="vpn", priority=_priority(1).pk) == [urgent.number]


def test_a_search_counts_its_matches_up_to_a_limit(client, supervisor, world, monkeypatch):
    monkeypatch.setattr(views, "SEARCH_COUNT_LIMIT", 2)
    for n in range(3):
        open_ticket(world.luis, world.soporte, subject=f"VPN caída {n}", text="Sin conexión")
    open_ticket(world.luis, world.soporte, subject="Escáner atascado", text="No escanea")

    many = client.get(reverse("desk:all"), {"q": "vpn"})
    few = client.get(reverse("desk:all"), {"q": "escaner"})
    everything = client.get(reverse("desk:all"))

    assert len(many.context["rows"]) == 3  # every match is still listed
    assert "Más de 1.000 tickets" in many.content.decode()
    assert "<strong>1 ticket</strong>" in few.content.decode(), re.findall(
        r"list-total.{0,80}", few.content.decode(), re.S
    )
    assert "Más de" not in few.content.decode()
    assert "4 tickets" in everything.content.decode()


# --- the URL -------------------------------------------------------------------------------


def test_equal_filters_give_the_same_address_whatever_order_they_came_in():
    one = InboxFilters.from_string("priority=2&q=vpn&priority=1&stage=3")
    other = InboxFilters.from_string("stage=3&priority=1&q=%20vpn%20&priority=2&page=4")

    assert one == other
    assert one.to_query() == "q=vpn&stage=3&priority=1&priority=2"
    assert InboxFilters.from_string(one.to_query()) == one
    assert InboxFilters().to_query() == ""


@pytest.mark.parametrize(
    ("page", "field"),
    [
        ("desk:all", "q"),
        ("desk:all", "company"),
        ("desk:all", "requester"),
        ("desk:all", "tag"),
        ("desk:company-suggestions", "company"),
        ("desk:companies", "q"),
        ("desk:contacts", "q"),
        ("desk:intake", "q"),
    ],
)
def test_a_control_character_typed_in_a_desk_search_is_dropped_not_an_error(
    client, supervisor, world, page, field
):
    open_ticket(world.carla, world.soporte, subject="Globex: impresora atascada")

    response = client.get(reverse(page), {field: "Glo\x00bex\x07"}, follow=True)

    assert response.status_code == 200
