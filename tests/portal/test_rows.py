"""The portal lists' rows, written in Python (`portal/rows.py`): what a person reads in
them, escaped, and read in a fixed number of statements."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from atiende.tickets import actions, vocabulary
from atiende.tickets.models import Channel, StatusKind
from tests.factories import QueueFactory, make_contact, open_ticket
from tests.helpers import made_elsewhere

HOSTILE = '<img src=x onerror="alert(1)">'


def test_subjects_and_names_are_escaped_in_every_list(client, world):
    eve = make_contact("eve@acme.test", world.acme, full_name="<b>Eve</b>")
    open_ticket(world.ana, world.soporte, subject=HOSTILE)
    open_ticket(eve, world.soporte, subject="De Eve")
    client.force_login(world.ana.user)

    for name in ("portal:home", "portal:tickets", "portal:company-tickets"):
        page = client.get(reverse(name)).content.decode()
        assert "<img src=x" not in page, name
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page, name
    company = client.get(reverse("portal:company-tickets")).content.decode()
    assert "<b>Eve</b>" not in company and "&lt;b&gt;Eve&lt;/b&gt;" in company


def test_a_row_links_to_its_ticket_and_says_its_stage_in_portal_words_and_when(client, world):
    ticket = open_ticket(world.luis, world.soporte, subject="Impresora del piso 2")
    actions.change_status(world.agente.user, ticket, actions.default_status(StatusKind.PENDING))
    ticket.refresh_from_db()
    client.force_login(world.luis.user)

    page = client.get(reverse("portal:tickets")).content.decode()

    (row,) = re.findall(r'<li class="ticket-row">.*?</li>', page, re.DOTALL)
    assert f'href="{reverse("portal:ticket-detail", args=[ticket.number])}"' in row
    assert f'<span class="ref">#{ticket.number}</span>' in row
    assert '<span class="badge pending">Esperando su respuesta</span>' in row
    assert "<span>Soporte</span>" in row
    local = timezone.localtime(ticket.last_activity_at)
    assert f'<time datetime="{local.isoformat()}"' in row
    assert "actualizado hace un momento" in row
    assert "Luis Acme" not in row  # the reader's own list does not name them


def test_search_shows_where_each_ticket_matched_highlighted_and_escaped(client, world):
    ticket = open_ticket(world.luis, world.soporte, subject="Sin red")
    actions.add_reply(
        world.agente.user, ticket, channel=Channel.WEB, text="Reinicie el router <script>x</script> ahora."
    )
    client.force_login(world.luis.user)

    page = client.get(reverse("portal:search"), {"q": "router"}).content.decode()

    (snippet,) = re.findall(r'<span class="snippet">(.*?)</span>', page, re.DOTALL)
    assert "<mark>router</mark>" in snippet
    assert "<script>" not in page.split('<ul class="ticket-rows">')[1]
    assert "&lt;script&gt;" in snippet


def test_grouped_by_stage_a_head_opens_each_stage(client, world):
    first = open_ticket(world.luis, world.soporte, subject="Uno")
    open_ticket(world.luis, world.soporte, subject="Dos")
    open_ticket(world.luis, world.soporte, subject="Tres")
    actions.change_status(world.agente.user, first, actions.default_status(StatusKind.PENDING))
    client.force_login(world.luis.user)

    grouped = client.get(reverse("portal:tickets"), {"group": "on"}).content.decode()
    plain = client.get(reverse("portal:tickets")).content.decode()

    heads = re.findall(r'<li class="group-head"><h3><span class="badge (\w+)">', grouped)
    assert sorted(heads) == ["new", "pending"] and len(set(heads)) == len(heads)
    assert grouped.count('class="ticket-row"') == 3
    assert "group-head" not in plain


def test_queues_newer_than_the_kept_copy_are_read_in_one_statement(client, world):
    with made_elsewhere(vocabulary.kept):
        newer = [QueueFactory.create(name=f"Cola nueva {n}") for n in range(3)]
        for queue in newer:
            open_ticket(world.luis, queue, subject=f"En {queue.name}")
    assert not set(vocabulary.kept.load().queue) & {queue.pk for queue in newer}
    client.force_login(world.luis.user)

    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("portal:tickets")).content.decode()

    assert all(f"<span>{queue.name}</span>" in page for queue in newer)
    by_key = [q["sql"] for q in captured.captured_queries if '"tickets_queue"."id" IN' in q["sql"]]
    assert len(by_key) == 1
