"""Full-text search: Spanish words, accents, ranking, exact matches, and who finds what.

Runs on SQLite (FTS5) and, with DATABASE_URL, on PostgreSQL (tsvector): the same tests."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atiende.accounts.models import User
from atiende.tickets import access, actions, search
from atiende.tickets.attachments import Upload
from atiende.tickets.models import Channel, Ticket
from tests.conftest import World
from tests.factories import open_ticket


def found(user: User, query: str) -> list[int]:
    """What the user finds, best first, as ticket numbers."""
    tickets = search.ranked(access.tickets_visible_to(user), query, viewer=user)
    return list(
        tickets.order_by(*search.RELEVANCE, "-last_activity_at", "-id").values_list("number", flat=True)
    )


@pytest.fixture
def printer(world: World) -> Ticket:
    return open_ticket(
        world.ana, world.soporte, subject="La impresora no imprime", text="Sale una hoja en blanco."
    )


def test_a_plural_finds_the_singular_and_the_other_way_round(world, printer):
    agent = world.agente.user
    assert found(agent, "impresoras") == [printer.number]
    other = open_ticket(world.ana, world.soporte, subject="Compra", text="Necesitamos dos impresoras nuevas.")
    assert set(found(agent, "impresora")) == {printer.number, other.number}


@pytest.mark.parametrize("query", ["CONEXIÓN", "conexion", "Conexión", "conéxión"])
def test_accents_and_case_do_not_matter(world, query):
    ticket = open_ticket(world.ana, world.soporte, subject="Sin red", text="Se cae la conexión del Wi-Fi.")
    assert found(world.agente.user, query) == [ticket.number]


def test_every_word_must_be_found(world, printer):
    assert found(world.agente.user, "impresora blanco") == [printer.number]
    assert found(world.agente.user, "impresora escáner") == []


def test_a_match_in_the_subject_ranks_above_a_match_in_a_message(world):
    in_body = open_ticket(world.ana, world.soporte, subject="Pedido", text="Revisen el servidor de correo.")
    in_subject = open_ticket(world.ana, world.soporte, subject="Servidor caído", text="No responde.")
    actions.add_reply(world.ana.user, in_body, channel=Channel.WEB, text="Gracias.")  # most recent
    assert found(world.agente.user, "servidor") == [in_subject.number, in_body.number]


@pytest.mark.parametrize("as_typed", ["{number}", "#{number}"])
def test_a_ticket_number_comes_first(world, as_typed):
    named = open_ticket(world.ana, world.soporte, subject="Correo lento", text="Tarda mucho.")
    mentioning = open_ticket(
        world.ana, world.soporte, subject="Seguimiento", text=f"Sigue igual que el ticket {named.number}."
    )
    results = found(world.agente.user, as_typed.format(number=named.number))
    assert results[0] == named.number
    assert mentioning.number in results


def test_an_email_address_finds_the_requesters_tickets_first(world, printer):
    mentioning = open_ticket(
        world.luis, world.soporte, subject="Permisos", text="Den acceso a luis@acme.test en la carpeta."
    )
    requested_by_luis = open_ticket(world.luis, world.soporte, subject="VPN", text="No conecta.")
    results = found(world.agente.user, "LUIS@acme.test")
    assert set(results[:2]) == {mentioning.number, requested_by_luis.number}
    assert printer.number not in results


def test_a_phone_number_finds_the_requesters_tickets_first(world, printer):
    world.luis.phone = "+57 300 123 4567"
    world.luis.save()
    ticket = open_ticket(world.luis, world.soporte, subject="VPN", text="No conecta.")
    assert found(world.agente.user, "+57 (300) 123-4567") == [ticket.number]


def test_contacts_never_find_the_words_of_internal_notes(world, printer):
    actions.add_note(world.agente.user, printer, text="El tóner es falsificado, no decirle al cliente.")
    assert found(world.agente.user, "falsificado") == [printer.number]
    assert found(world.ana.user, "falsificado") == []
    assert found(world.ana.user, "impresora") == [printer.number]
    assert search.matching(Ticket.objects.all(), "falsificado").count() == 0  # no viewer: public only


def test_a_notes_file_name_stays_internal_too(world, printer):
    actions.add_note(
        world.agente.user,
        printer,
        text="Adjunto diagnóstico.",
        attachments=[Upload("diagnostico-fusor.txt", b"x")],
    )
    assert found(world.agente.user, "fusor") == [printer.number]
    assert found(world.ana.user, "fusor") == []


def test_attachment_names_are_searched(world, printer):
    actions.add_reply(
        world.ana.user,
        printer,
        channel=Channel.WEB,
        text="Va la foto.",
        attachments=[Upload("bandeja-atascada.jpg", b"\xff\xd8")],
    )
    assert found(world.ana.user, "atascada") == [printer.number]
    assert found(world.agente.user, "bandeja") == [printer.number]


def test_other_companies_tickets_are_never_found(world, printer):
    globex = open_ticket(
        world.carla, world.soporte, subject="La impresora de Globex", text="Tampoco imprime."
    )
    assert found(world.carla.user, "impresora") == [globex.number]
    assert found(world.ana.user, "impresora") == [printer.number]
    assert found(world.carla.user, str(printer.number)) == []
    assert found(world.otro.user, "impresora") == []  # agent of another queue


def test_replies_are_found_as_soon_as_they_are_written(world, printer):
    actions.add_reply(
        world.agente.user, printer, channel=Channel.WEB, text="Cambiamos el rodillo de arrastre."
    )
    assert found(world.ana.user, "rodillos") == [printer.number]


def test_a_changed_subject_replaces_the_old_words(world, printer):
    actions.change_ticket(world.agente.user, printer, subject="Escáner sin controlador")
    assert found(world.agente.user, "escaner") == [printer.number]
    assert found(world.agente.user, "imprime") == []  # only the subject said it
    assert found(world.agente.user, "blanco") == [printer.number]  # the message still does


def test_merging_moves_the_words_with_the_messages(world, printer):
    duplicate = open_ticket(world.ana, world.soporte, subject="Otra vez", text="El fusor hace ruido.")
    actions.merge_tickets(world.agente.user, duplicate, printer)
    assert found(world.agente.user, "fusor") == [printer.number]


def test_splitting_moves_the_words_to_the_new_ticket(world, printer):
    message = actions.add_reply(
        world.ana.user, printer, channel=Channel.WEB, text="Además el monitor parpadea."
    )
    new = actions.split_message(world.agente.user, message, subject="Monitor")
    assert found(world.agente.user, "parpadea") == [new.number]


def test_words_that_say_nothing_find_nothing(world, printer):
    assert found(world.agente.user, "de la") == []
    assert found(world.agente.user, "   ") == [printer.number]  # a blank search keeps the list


def test_snippets_mark_the_words_and_escape_the_rest(world):
    ticket = open_ticket(
        world.ana,
        world.soporte,
        subject="Error",
        text="<script>alert(1)</script> Las IMPRESORAS & <b>escáneres</b>.",
    )
    snippet = search.snippets([ticket], "impresora", viewer=world.ana.user)[ticket.pk]
    assert "<mark>IMPRESORAS</mark>" in snippet
    assert "&lt;script&gt;" in snippet and "<script>" not in snippet
    assert "&amp;" in snippet and "<b>" not in snippet


def test_snippets_show_contacts_no_note(world, printer):
    actions.add_note(world.agente.user, printer, text="Pedir tóner original.")
    actions.add_reply(world.agente.user, printer, channel=Channel.WEB, text="Cambiaremos el tóner mañana.")
    assert "mañana" in search.snippets([printer], "toner", viewer=world.ana.user)[printer.pk]
    assert "original" in search.snippets([printer], "toner", viewer=world.agente.user)[printer.pk]


def test_a_long_text_is_cut_around_the_match(world):
    text = " ".join(["palabra"] * 60 + ["teclado"] + ["palabra"] * 60)
    ticket = open_ticket(world.ana, world.soporte, subject="Largo", text=text)
    snippet = search.snippets([ticket], "teclados", viewer=world.ana.user)[ticket.pk]
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>teclado</mark>" in snippet
    assert len(snippet) < 300


def test_the_portal_search_lists_the_best_match_first_with_its_snippet(client, world):
    weak = open_ticket(world.ana, world.soporte, subject="Pedido", text="También revisen la impresora.")
    strong = open_ticket(
        world.ana, world.soporte, subject="Impresora atascada", text="La impresora se atasca."
    )
    actions.add_reply(world.ana.user, weak, channel=Channel.WEB, text="Gracias.")
    client.force_login(world.ana.user)
    html = client.get(reverse("portal:search"), {"q": "impresoras"}).content.decode()
    assert html.index(f"#{strong.number}") < html.index(f"#{weak.number}")
    assert "La <mark>impresora</mark> se atasca." in html
    assert "También revisen la <mark>impresora</mark>" in html


def test_the_desk_search_lists_the_best_match_first_and_finds_notes(client, world):
    weak = open_ticket(world.ana, world.soporte, subject="Pedido", text="También revisen la impresora.")
    strong = open_ticket(world.ana, world.soporte, subject="Impresora atascada", text="Se atasca.")
    actions.add_note(world.agente.user, weak, text="Proveedor del fusor: Tintas SAS.")
    client.force_login(world.agente.user)
    html = client.get(reverse("desk:queue", args=["soporte"]), {"q": "impresora"}).content.decode()
    assert html.index(f'data-number="{strong.number}"') < html.index(f'data-number="{weak.number}"')
    html = client.get(reverse("desk:queue", args=["soporte"]), {"q": "fusor"}).content.decode()
    assert f'data-number="{weak.number}"' in html and "Proveedor del <mark>fusor</mark>" in html


def test_the_portal_search_never_shows_a_note_to_a_contact(client, world, printer):
    actions.add_note(world.agente.user, printer, text="Cliente moroso, priorizar otros.")
    client.force_login(world.ana.user)
    html = client.get(reverse("portal:search"), {"q": "moroso"}).content.decode()
    assert f"#{printer.number}" not in html and "moroso</mark>" not in html
