import pytest

from atiende.tickets import actions
from atiende.tickets.attachments import Upload, clean_filename
from atiende.tickets.exceptions import InvalidValue, NotAllowed, TicketClosed
from atiende.tickets.models import Channel
from tests.factories import open_ticket


def test_the_author_adds_files_to_their_message_and_history_lists_them(world):
    ticket = open_ticket(world.luis, world.soporte)
    message = ticket.messages.get()

    stored = actions.attach_files(
        world.luis.user, message, channel=Channel.WEB, files=[Upload("a.txt", b"a"), Upload("b.pdf", b"%PDF")]
    )

    assert [a.filename for a in stored] == ["a.txt", "b.pdf"]
    assert list(ticket.history.filter(action="attached").values_list("new_value", flat=True)) == [
        "a.txt",
        "b.pdf",
    ]


def test_someone_else_cannot_add_files_to_a_contacts_message(world):
    ticket = open_ticket(world.luis, world.soporte)

    with pytest.raises(NotAllowed):
        actions.attach_files(
            world.ana.user, ticket.messages.get(), channel=Channel.WEB, files=[Upload("a.txt", b"a")]
        )


def test_no_files_is_refused(world):
    ticket = open_ticket(world.luis, world.soporte)

    with pytest.raises(InvalidValue):
        actions.attach_files(world.luis.user, ticket.messages.get(), channel=Channel.WEB, files=[])


def test_files_cannot_be_added_once_closed(world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.close_ticket(world.luis.user, ticket)

    with pytest.raises(TicketClosed):
        actions.attach_files(
            world.luis.user, ticket.messages.get(), channel=Channel.WEB, files=[Upload("a.txt", b"a")]
        )


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\ana\\informe.docx", "informe.docx"),
        ("fac\x00tura\n.pdf", "factura.pdf"),
        ("...", "archivo"),
        ("ñandú acentuado.txt", "ñandú acentuado.txt"),
    ],
)
def test_file_names_keep_only_a_safe_base_name(given, kept):
    assert clean_filename(given) == kept


def test_very_long_file_names_are_shortened_keeping_the_extension():
    name = clean_filename("x" * 400 + ".pdf")

    assert len(name) == 255
    assert name.endswith(".pdf")
