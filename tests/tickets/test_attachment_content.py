"""The server judges a file by its content, not only by its name."""

import pytest

from atiende.tickets.attachments import Upload, content_matches, is_program
from atiende.tickets.exceptions import InvalidValue
from tests.factories import open_ticket

PE_PROGRAM = b"MZ" + b"\x90\x00" * 29 + (64).to_bytes(4, "little") + b"PE\x00\x00" + b"\x00" * 200
ELF_PROGRAM = b"\x7fELF\x02\x01\x01" + b"\x00" * 100
REAL_PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.mark.parametrize("name", ["setup.pdf", "foto.png", "informe.docx", "notas.txt"])
@pytest.mark.parametrize("content", [PE_PROGRAM, ELF_PROGRAM])
def test_a_program_renamed_as_a_document_is_refused(world, name, content):
    with pytest.raises(InvalidValue) as refused:
        open_ticket(world.luis, world.soporte, attachments=[Upload(name, content)])

    assert refused.value.field == "attachments"
    assert name in refused.value.message


def test_text_that_merely_starts_with_mz_is_not_a_program():
    assert not is_program(b"MZ-4410 no enciende desde ayer por la tarde, se revisaron cables " * 2)


def test_a_file_whose_content_is_not_of_its_kind_is_never_offered_as_that_kind(world):
    ticket = open_ticket(
        world.luis,
        world.soporte,
        attachments=[
            Upload("factura.pdf", b"<html><script>alert(1)</script></html>"),
            Upload("real.pdf", REAL_PDF),
        ],
    )

    types = dict(ticket.attachments.values_list("filename", "content_type"))
    assert types == {"factura.pdf": "application/octet-stream", "real.pdf": "application/pdf"}


@pytest.mark.parametrize(
    ("name", "content", "matches"),
    [
        ("a.png", b"\x89PNG\r\n\x1a\n....", True),
        ("a.png", b"GIF89a", False),
        ("a.jpg", b"\xff\xd8\xff\xe0", True),
        ("a.docx", b"PK\x03\x04rest", True),
        ("a.docx", b"MZ", False),
        ("a.pdf", b"junk\n%PDF-1.4", True),
        ("a.txt", b"anything", True),
    ],
)
def test_signatures(name, content, matches):
    assert content_matches(name, content) is matches
