"""The portal's message history is drawn once and kept (portal/thread.py): a second view
draws no message again, and whatever a message's drawing reads that can change shows the
change on the next view; a contact never sees a note or a held email through it."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from atiende.tickets import actions
from atiende.tickets.attachments import Upload
from atiende.tickets.models import Channel, SenderCheck
from tests.factories import open_ticket

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _page(client, ticket) -> str:
    return str(client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode())


def _thread(html: str) -> str:
    return html[html.index('<ol class="chat"') : html.index("</ol>", html.index('<ol class="chat"'))]


def _drawing_reads(captured) -> list[str]:  # the query that reads bodies to draw them
    return [q["sql"] for q in captured.captured_queries if '"tickets_message"."body_html"' in q["sql"]]


def test_a_second_view_draws_no_message_again_and_shows_the_same_thread(client, world):
    ticket = open_ticket(world.luis, world.soporte, subject="Impresora", text="No imprime <b>nada</b>")
    for n in range(5):
        actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text=f"Respuesta {n} & más")
    client.force_login(world.luis.user)

    with CaptureQueriesContext(connection) as first_view:
        first = _page(client, ticket)
    with CaptureQueriesContext(connection) as second_view:
        second = _page(client, ticket)

    assert _drawing_reads(first_view)
    assert not _drawing_reads(second_view)
    assert _thread(first) == _thread(second)
    assert "No imprime &lt;b&gt;nada&lt;/b&gt;" in second  # still escaped when kept
    assert "Respuesta 4 &amp; más" in second
    assert _thread(second).count('class="bubble ') == 6
    assert _thread(second).count('class="bubble engineer"') == 5


def test_the_relative_time_is_put_in_at_each_view(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(world.luis.user)

    html = _thread(_page(client, ticket))

    assert "<!--ago-->" not in html
    assert re.search(r"<time [^>]*>hace un momento</time>", html)


def test_notes_never_show_and_a_held_email_shows_once_accepted(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.add_note(world.agente.user, ticket, channel=Channel.WEB, text="Nota interna secreta")
    held = actions.add_reply(
        world.luis.user,
        ticket,
        channel=Channel.EMAIL,
        text="Correo por verificar",
        email_message_id="<forjado-2@acme.test>",
        sender_check=SenderCheck.HELD,
    )
    client.force_login(world.luis.user)
    before = _thread(_page(client, ticket))
    actions.accept_message(world.agente.user, held)

    after = _thread(_page(client, ticket))

    assert "Correo por verificar" not in before
    assert "Correo por verificar" in after
    assert "Nota interna secreta" not in before + after


def test_a_file_added_later_to_a_message_shows_on_the_next_view(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    reply = actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Adjunto luego")
    client.force_login(world.luis.user)
    assert "captura.png" not in _page(client, ticket)

    actions.attach_files(world.luis.user, reply, channel=Channel.WEB, files=[Upload("captura.png", PNG)])

    assert "captura.png" in _thread(_page(client, ticket))


def test_a_renamed_author_and_another_language_are_drawn_anew(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.add_reply(world.agente.user, ticket, channel=Channel.EMAIL, text="Hola")
    client.force_login(world.luis.user)
    assert "Correo" in _thread(_page(client, ticket))

    world.agente.user.full_name = "Andrea Renombrada"
    world.agente.user.save(update_fields=["full_name"])
    world.luis.user.language = "en"
    world.luis.user.save(update_fields=["language"])
    thread = _thread(_page(client, ticket))

    assert "Andrea Renombrada" in thread
    assert "Email" in thread and "Correo" not in thread


def test_a_kept_drawing_of_one_ticket_never_shows_in_another(client, world):
    mine = open_ticket(world.luis, world.soporte, text="Texto de Luis")
    client.force_login(world.luis.user)
    _page(client, mine)
    other = open_ticket(world.carla, world.soporte, text="Texto de Carla")
    client.force_login(world.carla.user)

    thread = _thread(_page(client, other))

    assert "Texto de Carla" in thread and "Texto de Luis" not in thread


def test_each_bubble_says_who_wrote_it_and_the_last_is_marked(client, world):
    ticket = open_ticket(world.luis, world.soporte, text="Primera línea del cliente")
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Respuesta del ingeniero")
    client.force_login(world.luis.user)

    bubbles = re.findall(r'<li class="bubble (\w+)" ?(id="last")?>', _thread(_page(client, ticket)))

    assert bubbles == [("customer", ""), ("engineer", 'id="last"')]


def test_a_thread_with_only_a_held_email_says_there_are_no_messages_yet(client, world):
    ticket = open_ticket(
        world.luis,
        world.soporte,
        channel=Channel.EMAIL,
        email_message_id="<por-verificar@acme.test>",
        sender_check=SenderCheck.HELD,
    )
    client.force_login(world.luis.user)

    thread = _thread(_page(client, ticket))

    assert "bubble" not in thread
    assert "No hay mensajes por ahora." in thread
