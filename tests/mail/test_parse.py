"""atiende.mail.parse on its own: folding quotes, charsets, bounces, threading, files."""

from __future__ import annotations

import base64
import struct

import pytest

from atiende.mail.parse import fold_quotes, parse


def message(body: bytes | str, *headers: str, content_type: str = "text/plain; charset=utf-8") -> bytes:
    head = "\n".join(
        ["From: Luis Acme <Luis@Acme.TEST>", "To: soporte@atiende.test", "Subject: Prueba", *headers]
    )
    if content_type:
        head += f"\nMIME-Version: 1.0\nContent-Type: {content_type}"
    data = body.encode() if isinstance(body, str) else body
    return head.encode() + b"\n\n" + data


# --- folding quotes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kept", "folded"),
    [
        (  # Gmail in Spanish
            "Ya quedó.\n\nEl lun, 3 nov 2025 a las 10:00, Soporte (<soporte@atiende.test>) escribió:\n\n"
            "> Hola Luis\n",
            "Ya quedó.",
            "Hola Luis",
        ),
        (  # Gmail for Android, with its narrow no-break spaces
            "Sigue igual.\n\nEl lun., 3 de nov. de 2025 10:00\u202fa.\u00a0m., Soporte <s@atiende.test> "
            "escribió:\n\n> Hola\n",
            "Sigue igual.",
            "escribió",
        ),
        (  # Gmail in English
            "Works now.\n\nOn Mon, Nov 3, 2025 at 10:00\u202fAM Soporte <soporte@atiende.test> wrote:\n\n"
            "> Hi Luis\n",
            "Works now.",
            "Hi Luis",
        ),
        (  # Thunderbird in English
            "Done.\n\nOn 11/3/25 10:00 AM, Soporte Atiende wrote:\n> Hi Luis\n",
            "Done.",
            "Hi Luis",
        ),
        (  # Apple Mail and iPhone quote the attribution line itself
            "Hoy a las 3 está bien.\n\n> El 3 nov 2025, a las 10:00, Soporte <s@atiende.test> escribió:\n"
            ">\n> ¿A qué hora?\n",
            "Hoy a las 3 está bien.",
            "A qué hora",
        ),
        (  # Outlook desktop in Spanish: a header block without a separator line
            "Gracias, ya imprime.\n\nDe: Soporte Atiende <soporte@atiende.test>\n"
            "Enviado: lunes, 3 de noviembre de 2025 10:00\nPara: Luis <luis@acme.test>\n"
            "Asunto: [#12] Impresora\n\nHola Luis, reinicie la cola.\n",
            "Gracias, ya imprime.",
            "reinicie la cola",
        ),
        (  # Outlook desktop in English
            "Still broken.\n\nFrom: Soporte <soporte@atiende.test>\nSent: Monday, November 3, 2025 10:00 AM\n"
            "To: Luis <luis@acme.test>\nSubject: Printer\n\nRestart it.\n",
            "Still broken.",
            "Restart it",
        ),
        (  # Outlook on the web: an underscore line
            "La raya sigue.\n________________________________\nDe: Soporte <s@atiende.test>\n"
            "Enviado: miércoles, 5 de noviembre de 2025 10:30\n\n¿También en las copias?\n",
            "La raya sigue.",
            "copias",
        ),
        (  # older Outlook
            "Cambiaron el fusor.\n\n-----Mensaje original-----\nDe: Luis\nAsunto: Impresora\n\nNo imprime.\n",
            "Cambiaron el fusor.",
            "No imprime",
        ),
        (
            "Fixed.\n\n-----Original Message-----\nFrom: Soporte\nSubject: Printer\n\nTry again.\n",
            "Fixed.",
            "Try again",
        ),
        (  # Samsung Email
            "Ok, mañana.\n\nEnviado desde mi Galaxy\n\n\n-------- Mensaje original --------\n"
            "De: Soporte <s@atiende.test>\n\nHola\n",
            "Ok, mañana.",
            "Galaxy",
        ),
        (  # iPhone signature above a quote
            "Ya funciona\n\nEnviado desde mi iPhone\n\n> El 3 nov 2025, a las 10:00, S <s@a.test> escribió:\n",
            "Ya funciona",
            "iPhone",
        ),
        (  # a signature after the standard separator
            "Sigue fallando el correo.\n\n-- \nLuis Acme\nServicios\n",
            "Sigue fallando el correo.",
            "Servicios",
        ),
        (  # a quote at the bottom without any attribution line
            "Ok.\n\n> texto anterior\n> más texto\n",
            "Ok.",
            "texto anterior",
        ),
    ],
)
def test_fold_quotes_keeps_the_new_text_of_each_client(text, kept, folded):
    result = fold_quotes(text)

    assert result.startswith(kept)
    assert folded not in result


def test_fold_quotes_recognises_a_wrapped_gmail_attribution():
    text = (
        "Perfecto.\n\nEl mar, 4 nov 2025 a las 10:00, Soporte Atiende - Mesa de ayuda (<\n"
        "soporte@atiende.test>) escribió:\n\n> Hola\n"
    )

    assert fold_quotes(text) == "Perfecto."


def test_fold_quotes_recognises_yahoo_in_spanish():
    text = (
        "Listo.\n\n\n    En jueves, 20 de noviembre de 2025, 10:00:00 GMT-5, Soporte <s@atiende.test> "
        "escribió:\n\n Hola, pruebe de nuevo.\n"
    )

    assert fold_quotes(text) == "Listo."


def test_fold_quotes_never_loses_a_message_that_is_only_a_quote():
    assert fold_quotes("> solo una cita\n> nada más\n") == "> solo una cita\n> nada más"


def test_fold_quotes_leaves_a_message_without_quotes_alone():
    text = "Buenos días:\n\nLa impresora no imprime.\n\nÁrea: Servicios\nExtensión: 214"

    assert fold_quotes(text) == text


def test_a_parsed_reply_says_it_was_folded():
    reply = parse(message("Sí.\n\nOn Mon, Nov 3, 2025 at 9:00 AM Soporte <s@atiende.test> wrote:\n> ¿Ya?\n"))
    plain = parse(message("Sin citas."))

    assert (reply.reply_text, reply.folded) == ("Sí.", True)
    assert (plain.reply_text, plain.folded) == ("Sin citas.", False)


# --- headers and charsets ------------------------------------------------------------------


def test_sender_recipients_and_kept_headers():
    parsed = parse(
        message(
            "Hola",
            "Cc: Ana <ANA@acme.test>",
            "Delivered-To: soporte@atiende.test",
            "Message-ID: <abc@acme.test>",
            "X-Atiende-Loop: 1",
        )
    )

    assert (parsed.sender, parsed.sender_name) == ("luis@acme.test", "Luis Acme")
    assert parsed.recipients == ["soporte@atiende.test", "ana@acme.test", "soporte@atiende.test"]
    assert parsed.message_id == "<abc@acme.test>"
    assert parsed.headers["Cc"] == "Ana <ANA@acme.test>"
    assert "Delivered-To" not in parsed.headers
    assert parsed.loop_marker == "1"
    assert parse(message("Hola", "X-Mi-Bucle: si"), loop_header="X-Mi-Bucle").loop_marker == "si"


def test_encoded_word_subjects_are_decoded_and_whitespace_collapsed():
    raw = message(
        "x",
        "Subject: =?UTF-8?Q?Actualizaci=C3=B3n?=\n  de =?ISO-8859-1?B?Y29udHJhc2XxYQ==?=",
    ).replace(b"Subject: Prueba\n", b"")

    assert parse(raw).subject == "Actualización de contraseña"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("La báscula marca cero en la recepción".encode("latin-1"), "text/plain; charset=us-ascii"),
        ("La báscula marca cero en la recepción".encode("cp1252"), "text/plain; charset=utf-8"),
        ("La báscula marca cero en la recepción".encode(), "text/plain; charset=utf8mb4"),
        ("La báscula marca cero en la recepción".encode(), "text/plain"),
        ("La báscula marca cero en la recepción".encode("latin-1"), "text/plain; charset=iso-8859-1"),
    ],
)
def test_bodies_in_a_wrong_unknown_or_missing_charset_are_read(body, content_type):
    assert parse(message(body, content_type=content_type)).text == "La báscula marca cero en la recepción"


def test_undeclared_latin1_spanish_is_read_as_western():
    body = "Próxima ejecución: mañana a las 2:00, revisar el año fiscal de contabilidad.".encode("latin-1")

    assert "mañana" in parse(message(body, content_type="")).text


def test_an_html_only_body_gives_the_text():
    parsed = parse(
        message(
            "<html><head><style>p{color:red}</style></head><body><p>Hola</p><p>Mundo &amp; más</p></body></html>",
            content_type="text/html; charset=utf-8",
        )
    )

    assert parsed.text == "Hola\nMundo & más"
    assert "<p>Hola</p>" in parsed.html


# --- threading -------------------------------------------------------------------------------


def test_thread_ids_are_in_reply_to_first_then_references_newest_first_without_repeats():
    parsed = parse(
        message(
            "x",
            "In-Reply-To: <c@atiende.test>",
            "References: <a@acme.test> <b@atiende.test>\n <c@atiende.test>",
        )
    )

    assert parsed.thread_ids == ["<c@atiende.test>", "<b@atiende.test>", "<a@acme.test>"]


def test_without_threading_headers_there_are_no_thread_ids():
    assert parse(message("x")).thread_ids == []


# --- automatic mail and bounces ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "automatic", "bulk"),
    [
        ("Auto-Submitted: auto-replied", True, False),
        ("Auto-Submitted: no", False, False),
        ("Precedence: list", False, True),  # a person writing through a list: a request
        ("Precedence: first-class", False, False),
        ("X-Autoreply: yes", True, False),
        ("X-Auto-Response-Suppress: OOF", False, True),  # Outlook sets it on ordinary mail too
        ("X-Mailer: Microsoft Outlook 16.0", False, False),
    ],
)
def test_automatic_mail_is_recognised_by_its_headers(header, automatic, bulk):
    parsed = parse(message("x", header))

    assert parsed.automatic is automatic
    assert bool(parsed.automatic_reason) is automatic
    assert parsed.bulk is bulk
    assert parsed.bounce is None


DSN = """From: MAILER-DAEMON@mx.atiende.test (Mail Delivery System)
To: soporte@atiende.test
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.atiende.test

Final-Recipient: rfc822; Pedro@Acme.test
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <pedro@acme.test>:
 Recipient address rejected

--B
Content-Type: {original_type}

From: soporte@atiende.test
To: pedro@acme.test
Message-ID: <ours-1@atiende.test>
Subject: [#7] Impresora

--B--
"""


@pytest.mark.parametrize("original_type", ["message/rfc822", "text/rfc822-headers"])
def test_a_dsn_names_the_original_message_the_recipient_and_the_reason(original_type):
    parsed = parse(DSN.format(original_type=original_type).encode())

    assert parsed.automatic
    assert parsed.bounce is not None
    assert parsed.bounce.original_message_ids == ["<ours-1@atiende.test>"]
    assert parsed.bounce.recipients == ["pedro@acme.test"]
    assert parsed.bounce.diagnostic == "smtp; 550 5.1.1 <pedro@acme.test>: Recipient address rejected"


def test_a_dsn_without_a_diagnostic_code_gives_its_status():
    raw = DSN.format(original_type="message/rfc822").replace(
        "Diagnostic-Code: smtp; 550 5.1.1 <pedro@acme.test>:\n Recipient address rejected\n", ""
    )

    bounce = parse(raw.encode()).bounce

    assert bounce is not None
    assert bounce.diagnostic == "5.1.1"


def test_a_plain_text_bounce_finds_the_original_message_id_in_its_text():
    raw = (
        b"From: MAILER-DAEMON@mail.globex.test\nTo: soporte@atiende.test\nSubject: failure notice\n\n"
        b"Sorry, no mailbox here by that name.\n\n--- Below this line is a copy of the message.\n\n"
        b"From: soporte@atiende.test\nMessage-ID: <ours-2@atiende.test>\n\nHola\n"
    )

    bounce = parse(raw).bounce

    assert bounce is not None
    assert bounce.original_message_ids == ["<ours-2@atiende.test>"]


def test_a_mailer_daemon_message_is_a_bounce_even_without_a_report():
    bounce = parse(b"From: postmaster@acme.test\nSubject: Aviso\n\nNo se pudo entregar.\n").bounce

    assert bounce is not None
    assert bounce.original_message_ids == []


# --- files ---------------------------------------------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)


def multipart(*parts: str) -> bytes:
    body = "".join(f"--P\n{part}\n" for part in parts) + "--P--\n"
    return message(body, content_type='multipart/mixed; boundary="P"')


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_inline_images_keep_their_content_id_and_the_html_its_cid_reference():
    parsed = parse(
        multipart(
            'Content-Type: multipart/related; boundary="R"\n\n--R\nContent-Type: text/html; charset=utf-8\n\n'
            '<p><img src="cid:img1@acme.test"></p>\n--R\nContent-Type: image/png; name="captura.png"\n'
            "Content-Disposition: inline; filename=captura.png\nContent-ID: <img1@acme.test>\n"
            f"Content-Transfer-Encoding: base64\n\n{b64(PNG)}\n--R--",
        )
    )

    assert [(u.name, u.content, u.content_id) for u in parsed.uploads] == [
        ("captura.png", PNG, "img1@acme.test")
    ]
    assert "cid:img1@acme.test" in parsed.html


def test_files_without_names_get_one_and_an_empty_attached_file_is_kept():
    parsed = parse(
        multipart(
            "Content-Type: text/plain; charset=utf-8\n\nHola",
            f"Content-Type: application/pdf\nContent-Disposition: attachment\nContent-Transfer-Encoding: base64\n\n{b64(b'%PDF-1.4')}",
            f"Content-Type: image/jpeg\nContent-Transfer-Encoding: base64\n\n{b64(b'JFIF')}",
            "Content-Type: application/x-thing\nContent-Disposition: attachment\n\nzz",
            'Content-Type: text/plain; name="vacio.log"\nContent-Disposition: attachment; filename="vacio.log"\n\n',
        )
    )

    assert parsed.text == "Hola"
    assert [u.name for u in parsed.uploads] == ["adjunto.pdf", "adjunto.jpg", "adjunto.dat", "vacio.log"]
    assert parsed.uploads[-1].content == b""


def test_a_second_text_alternative_is_not_a_file():
    parsed = parse(
        multipart(
            'Content-Type: multipart/alternative; boundary="A"\n\n--A\nContent-Type: text/plain\n\nHola\n'
            "--A\nContent-Type: text/html\n\n<p>Hola</p>\n--A\nContent-Type: text/plain\n\nOtra vez\n--A--",
        )
    )

    assert (parsed.text, parsed.html.strip(), parsed.uploads) == ("Hola", "<p>Hola</p>", [])


def test_forwarded_messages_and_invitations_are_kept_as_files():
    parsed = parse(
        multipart(
            "Content-Type: text/plain\n\nMiren esto",
            "Content-Type: message/rfc822\n\nFrom: a@b.test\nSubject: Viejo\nMessage-ID: <old@b.test>\n\nTexto viejo",
            "Content-Type: text/calendar; method=REQUEST\n\nBEGIN:VCALENDAR\nMETHOD:REQUEST\nEND:VCALENDAR",
        )
    )

    names = [u.name for u in parsed.uploads]
    assert names == ["Viejo.eml", "invitacion.ics"]
    assert b"Subject: Viejo" in parsed.uploads[0].content
    assert b"Texto viejo" in parsed.uploads[0].content
    assert parsed.text == "Miren esto"
    assert parsed.bounce is None


def _tnef(filename: bytes, content: bytes) -> bytes:
    def attribute(level: int, kind: int, name: int, data: bytes) -> bytes:
        header = struct.pack("<BII", level, (kind << 16) | name, len(data))
        return header + data + struct.pack("<H", sum(data) & 0xFFFF)

    return (
        struct.pack("<IH", 0x223E9F78, 1)
        + attribute(1, 0x9, 0x9006, struct.pack("<I", 0x00010000))
        + attribute(1, 0x6, 0x9007, struct.pack("<II", 1252, 0))
        + attribute(2, 0x6, 0x9002, struct.pack("<HiIIH", 1, -1, 0, 0, 0))
        + attribute(2, 0x1, 0x8010, filename + b"\x00")
        + attribute(2, 0x6, 0x800F, content)
    )


def test_winmail_dat_is_kept_and_its_files_added():
    blob = _tnef(b"informe.txt", b"disco al 97 %")
    parsed = parse(
        multipart(
            "Content-Type: text/plain\n\nAdjunto",
            "Content-Type: application/ms-tnef; name=winmail.dat\nContent-Disposition: attachment; "
            f"filename=winmail.dat\nContent-Transfer-Encoding: base64\n\n{b64(blob)}",
        )
    )

    assert [(u.name, u.content) for u in parsed.uploads] == [
        ("winmail.dat", blob),
        ("informe.txt", b"disco al 97 %"),
    ]


def test_an_unreadable_winmail_dat_stays_as_it_is():
    parsed = parse(
        multipart(
            "Content-Type: text/plain\n\nAdjunto",
            "Content-Type: application/ms-tnef\nContent-Disposition: attachment; filename=winmail.dat\n"
            f"Content-Transfer-Encoding: base64\n\n{b64(b'no es TNEF')}",
        )
    )

    assert [(u.name, u.content) for u in parsed.uploads] == [("winmail.dat", b"no es TNEF")]


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe garbage",
        b"Subject: =?utf-8?B?####?=\n\n",
        b"Content-Type: multipart/mixed; boundary=X\n\n--X\nContent-Transfer-Encoding: base64\n\n@@@\n",
        b'From: a@b\nContent-Type: text/plain; charset=""\n\n\xff\xfe',
    ],
)
def test_parse_never_raises_on_garbage(raw):
    parsed = parse(raw)

    assert isinstance(parsed.text, str)
