"""The ticket workspace: the thread, the composer and the requester's card."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from atiende.outbox.models import OutboundEmail
from atiende.tickets import actions
from atiende.tickets.attachments import Upload
from atiende.tickets.models import CannedReply, Channel, Message, MessageKind, StatusKind, TicketSeen
from tests.factories import open_ticket

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ticket(world):
    return open_ticket(world.luis, world.soporte, subject="Sin VPN", text="No conecta la VPN desde casa.")


def _url(name, ticket, *args):
    return reverse(f"desk:{name}", args=[ticket.number, *args])


def _replies(ticket):
    return OutboundEmail.objects.filter(kind="ticket_reply", ticket_number=ticket.number)


# --- reading ---------------------------------------------------------------------------------


def test_the_page_shows_notes_and_events_distinct_from_public_messages(client, world, ticket):
    actions.add_note(world.agente.user, ticket, text="Revisar el firewall antes de contestar")
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Ya lo estamos revisando")
    actions.change_ticket(world.agente.user, ticket, priority=ticket.priority.__class__.objects.get(level=1))
    other = open_ticket(world.luis, world.soporte, subject="Duplicado")
    actions.merge_tickets(world.agente.user, other, ticket)
    client.force_login(world.agente.user)

    html = client.get(_url("ticket", ticket)).content.decode()

    assert html.count('class="t-msg t-note"') == 1
    assert "Nota interna" in html
    assert html.index("Revisar el firewall") < html.index("Ya lo estamos revisando")
    assert html.count('class="t-msg t-customer"') == 2  # the opening message and the merged one
    assert html.count('class="t-msg t-agent"') == 1
    assert 'class="t-line t-event"' in html
    assert f"#{other.number}" in html
    change = html[html.index('class="t-line t-change"') :]
    assert "Normal → Urgente" in change[:400]


def test_attachments_show_a_preview_for_images_and_a_download_link(client, world, ticket):
    actions.add_reply(
        world.luis.user,
        ticket,
        channel=Channel.WEB,
        text="Adjunto captura",
        attachments=[Upload("captura.png", b"\x89PNG\r\n"), Upload("registro.txt", b"log")],
    )
    client.force_login(world.agente.user)

    html = client.get(_url("ticket", ticket)).content.decode()

    image = ticket.attachments.get(filename="captura.png")
    text = ticket.attachments.get(filename="registro.txt")
    image_url = reverse("attachment", args=[image.pk, image.filename])
    assert f'<img src="{image_url}"' in html
    assert f'href="{image_url}?download=1"' in html
    assert f'<img src="{reverse("attachment", args=[text.pk, text.filename])}"' not in html


def test_opening_the_page_marks_the_ticket_as_seen_by_that_agent(client, world, ticket):
    client.force_login(world.agente.user)

    client.get(_url("ticket", ticket))

    assert TicketSeen.objects.filter(user=world.agente.user, ticket=ticket).exists()


def test_the_page_takes_the_same_number_of_queries_with_5_and_with_50_messages(
    client, world, ticket, django_assert_max_num_queries
):
    def add_messages(count):
        for index in range(count):
            if index % 2:
                actions.add_note(world.agente.user, ticket, text=f"nota {index}")
            else:
                actions.add_reply(
                    world.luis.user,
                    ticket,
                    channel=Channel.WEB,
                    text=f"mensaje {index}",
                    attachments=[Upload(f"f{index}.png", b"\x89PNG")],
                )

    add_messages(4)
    actions.change_ticket(world.agente.user, ticket, tags=["vpn", "remoto"])
    client.force_login(world.agente.user)
    url = _url("ticket", ticket)
    client.get(url)  # the session and the seen mark exist from here on
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    five_queries = len(five.captured_queries)  # read now: the next request clears the log
    assert ticket.messages.count() == 5

    add_messages(45)
    client.get(url)  # the news is seen: the mark is written once, then read
    with django_assert_max_num_queries(five_queries):
        response = client.get(url)

    assert response.content.decode().count('class="t-msg ') == 50
    assert five_queries <= 40


# --- the composer ----------------------------------------------------------------------------


def test_a_public_reply_is_emailed_to_the_requester(client, world, ticket):
    client.force_login(world.agente.user)

    response = client.post(_url("ticket-compose", ticket), {"kind": "public", "text": "Reinicie el router"})

    message = ticket.messages.get(body_text="Reinicie el router")
    assert response.status_code == 302
    assert response["Location"] == f"{_url('ticket', ticket)}?sent=public#m{message.pk}"
    assert message.kind == MessageKind.PUBLIC
    assert _replies(ticket).get().to == ["luis@acme.test"]


@pytest.mark.parametrize(
    ("then", "kind"), [("pending", StatusKind.PENDING), ("resolved", StatusKind.RESOLVED)]
)
def test_send_and_set_a_stage_moves_the_ticket_in_the_same_click(client, world, ticket, then, kind):
    client.force_login(world.agente.user)

    client.post(_url("ticket-compose", ticket), {"kind": "public", "text": "¿Sigue fallando?", "then": then})

    ticket.refresh_from_db()
    assert ticket.status.kind == kind
    assert _replies(ticket).exists()
    assert ticket.history.filter(field="status").exists()


def test_a_note_is_never_emailed_and_ignores_a_stage_button(client, world, ticket):
    client.force_login(world.agente.user)

    client.post(
        _url("ticket-compose", ticket), {"kind": "note", "text": "Llamar el lunes", "then": "resolved"}
    )

    note = ticket.messages.get(body_text="Llamar el lunes")
    ticket.refresh_from_db()
    assert note.kind == MessageKind.NOTE
    assert ticket.status.kind == StatusKind.NEW
    assert not OutboundEmail.objects.exclude(kind__in=["ticket_opened", "agent_new_ticket"]).exists()


def test_an_empty_message_comes_back_with_the_reason(client, world, ticket):
    client.force_login(world.agente.user)

    response = client.post(_url("ticket-compose", ticket), {"kind": "public", "text": "   "})

    assert response.status_code == 400
    assert "Escriba un mensaje o adjunte un archivo." in response.content.decode()
    assert ticket.messages.count() == 1


def test_a_refused_file_gives_its_reason_and_keeps_the_text(client, world, ticket):
    client.force_login(world.agente.user)
    data = {
        "kind": "note",
        "text": "Ver el instalador adjunto",
        "attachments": [SimpleUploadedFile("x.exe", b"MZ")],
    }

    response = client.post(_url("ticket-compose", ticket), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "x.exe" in html
    assert "Ver el instalador adjunto</textarea>" in html
    assert response.context["composer"]["kind"].value() == "note"
    assert ticket.messages.count() == 1


def test_over_htmx_a_refused_message_swaps_only_the_errors_so_text_and_files_stay(client, world, ticket):
    client.force_login(world.agente.user)
    data = {"kind": "public", "text": "Hola", "attachments": [SimpleUploadedFile("x.exe", b"MZ")]}

    response = client.post(_url("ticket-compose", ticket), data, **HTMX)

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#composer-errors"
    assert "HX-Trigger" not in response  # the page keeps the draft
    html = response.content.decode()
    assert "x.exe" in html
    assert "<textarea" not in html


def test_over_htmx_a_reply_redraws_the_thread_and_the_stage(client, world, ticket):
    client.force_login(world.agente.user)

    response = client.post(
        _url("ticket-compose", ticket), {"kind": "public", "text": "Listo", "then": "pending"}, **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<ol class="thread" id="thread">')
    assert "Listo" in html
    assert json.loads(response["HX-Trigger"]) == {"composer-sent": {"kind": "public"}}
    assert 'id="ws-head" class="ws-head" hx-swap-oob="true"' in html
    assert "Esperando cliente" in html


def test_a_closed_ticket_shows_no_composer_only_that_it_is_closed(client, world, ticket):
    actions.close_ticket(world.agente.user, ticket)
    client.force_login(world.agente.user)

    html = client.get(_url("ticket", ticket)).content.decode()

    assert 'id="composer"' not in html
    assert 'id="composer-closed"' in html
    assert 'name="status-value" disabled' in html.replace("\n", " ")


def test_replying_to_a_ticket_closed_meanwhile_says_so(client, world, ticket):
    client.force_login(world.agente.user)
    actions.close_ticket(world.supervisor.user, ticket)

    response = client.post(_url("ticket-compose", ticket), {"kind": "public", "text": "Hola"}, follow=True)

    assert f"El ticket #{ticket.number} está cerrado" in response.content.decode()
    assert ticket.messages.count() == 1


def test_a_canned_reply_comes_filled_with_the_tickets_values(client, world, ticket):
    reply = CannedReply.objects.create(
        title="Saludo", body="Hola {requester_first_name}, sobre {ticket_number} ({subject}). {agent_name}"
    )
    client.force_login(world.agente.user)

    page = client.get(_url("ticket", ticket)).content.decode()
    data = client.get(_url("ticket-canned", ticket, reply.pk)).json()

    assert _url("ticket-canned", ticket, reply.pk) in page
    assert data["text"] == f"Hola Luis, sobre #{ticket.number} (Sin VPN). Agente Soporte"


def test_canned_replies_of_another_queue_or_inactive_ones_are_not_offered(client, world, ticket):
    other_queue = CannedReply.objects.create(title="Redes", body="x", queue=world.redes)
    inactive = CannedReply.objects.create(title="Vieja", body="x", is_active=False)
    own = CannedReply.objects.create(title="Soporte", body="x", queue=world.soporte)
    client.force_login(world.agente.user)

    page = client.get(_url("ticket", ticket)).content.decode()

    assert _url("ticket-canned", ticket, own.pk) in page
    for reply in (other_queue, inactive):
        assert _url("ticket-canned", ticket, reply.pk) not in page
        assert client.get(_url("ticket-canned", ticket, reply.pk)).status_code == 404


def test_a_canned_reply_added_or_retired_shows_on_the_next_page(client, world, ticket):
    """The offered replies are kept per process with the desk's catalog: any change is read
    again at once."""
    client.force_login(world.agente.user)
    client.get(_url("ticket", ticket))
    reply = CannedReply.objects.create(title="Reinicio del equipo", body="x", queue=world.soporte)

    assert _url("ticket-canned", ticket, reply.pk) in client.get(_url("ticket", ticket)).content.decode()

    reply.queue = world.redes
    reply.save()
    assert _url("ticket-canned", ticket, reply.pk) not in client.get(_url("ticket", ticket)).content.decode()

    reply.queue = None
    reply.save()
    assert "Reinicio del equipo" in client.get(_url("ticket", ticket)).content.decode()
    reply.delete()
    assert "Reinicio del equipo" not in client.get(_url("ticket", ticket)).content.decode()


# --- split -------------------------------------------------------------------------------------


def test_a_public_message_splits_off_into_a_new_ticket(client, world, ticket):
    second = actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Y además la impresora")
    client.force_login(world.agente.user)

    response = client.post(_url("ticket-split", ticket), {"message": second.pk, "subject": "Impresora"})

    second.refresh_from_db()
    new = second.ticket
    assert new.pk != ticket.pk
    assert new.subject == "Impresora"
    assert response["Location"] == _url("ticket", new)
    assert new.links_out.get().target == ticket


def test_the_only_message_cannot_be_split_and_the_page_offers_no_split(client, world, ticket):
    client.force_login(world.agente.user)
    only = ticket.messages.get()

    page = client.get(_url("ticket", ticket)).content.decode()
    response = client.post(_url("ticket-split", ticket), {"message": only.pk, "subject": "Otro"}, follow=True)

    assert _url("ticket-split", ticket) not in page
    assert "Es el único mensaje del ticket: no quedaría nada." in response.content.decode()
    assert Message.objects.get(pk=only.pk).ticket_id == ticket.pk


def test_a_message_of_another_ticket_cannot_be_split_from_this_one(client, world, ticket):
    foreign = open_ticket(world.carla, world.soporte).messages.get()
    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="segundo")
    client.force_login(world.agente.user)

    response = client.post(_url("ticket-split", ticket), {"message": foreign.pk, "subject": "x"})

    assert response.status_code == 404


def test_each_message_offers_a_split_link_and_the_chosen_one_opens_its_form(client, world, ticket):
    first = ticket.messages.get()
    second = actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Y además la impresora")
    client.force_login(world.agente.user)

    plain = client.get(_url("ticket", ticket)).content.decode()
    chosen = client.get(_url("ticket", ticket), {"split": second.pk}).content.decode()

    assert f'href="?split={first.pk}#m{first.pk}"' in plain
    assert f'href="?split={second.pk}#m{second.pk}"' in plain
    assert _url("ticket-split", ticket) not in plain  # no form until one is chosen
    assert chosen.count(f'action="{_url("ticket-split", ticket)}"') == 1
    assert f'name="message" value="{second.pk}"' in chosen
    assert f'value="{ticket.subject}" autofocus' in chosen


@pytest.mark.parametrize("value", ["abc", "-1", "9" * 40, "1e5", ""])
def test_a_made_up_split_choice_opens_no_form(client, world, ticket, value):
    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="segundo")
    foreign = open_ticket(world.carla, world.soporte).messages.get()
    client.force_login(world.agente.user)

    for choice in (value, str(foreign.pk)):
        response = client.get(_url("ticket", ticket), {"split": choice})
        assert response.status_code == 200
        assert _url("ticket-split", ticket) not in response.content.decode()


# --- the requester's card ----------------------------------------------------------------------


def test_the_requester_card_lists_their_other_open_tickets(client, world, ticket):
    world.luis.phone, world.luis.extension, world.luis.area = "601 555 0101", "204", "Contabilidad"
    world.luis.save()
    open_other = open_ticket(world.luis, world.soporte, subject="Correo lento")
    closed_other = open_ticket(world.luis, world.soporte, subject="Cerrado hace tiempo")
    actions.close_ticket(world.agente.user, closed_other)
    invisible = open_ticket(world.luis, world.redes, subject="De Redes")
    client.force_login(world.agente.user)

    html = client.get(_url("ticket", ticket)).content.decode()
    card = html[html.index('class="ws-card requester"') :]

    assert "luis@acme.test" in card
    assert "601 555 0101" in card and "204" in card and "Contabilidad" in card
    assert "Acme S.A.S." in card
    assert _url("ticket", open_other) in card
    assert _url("ticket", closed_other) not in card
    assert _url("ticket", invisible) not in card


def test_the_requester_cards_other_tickets_are_read_without_their_stage(client, world, ticket):
    other = open_ticket(world.luis, world.soporte, subject="Correo lento")
    actions.change_status(world.agente.user, other, actions.default_status(StatusKind.PENDING))
    client.force_login(world.agente.user)
    client.get(_url("ticket", ticket))

    with CaptureQueriesContext(connection) as captured:
        html = client.get(_url("ticket", ticket)).content.decode()

    card = html[html.index('class="ws-card requester"') :]
    assert f"#{other.number} Correo lento" in card
    assert '<span class="badge pending">' in card[: card.index("</section>")]
    (listed,) = [
        q["sql"]
        for q in captured.captured_queries
        if '"tickets_ticket"."requester_id" =' in q["sql"] and "LIMIT 10" in q["sql"]
    ]
    assert '"tickets_status"' not in listed
