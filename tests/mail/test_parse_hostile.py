"""atiende.mail.parse against hostile and broken mail: who the sender really is, header
values that would break or forge later mail, automatic mail told from list mail, charsets
that must never fail a message, and files that must not be lost."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atiende.mail.parse import ParsedEmail, parse
from atiende.outbox.message_ids import message_ids_in

HERE = Path(__file__).parent
REAL_MESSAGES = sorted([*(HERE / "corpus").glob("*.eml"), *(HERE / "messages").glob("*.eml")])
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
VALID_ID = re.compile(r"<[!-;=?A-~]+@[!-;=?A-~]+>")
PLAIN_ADDRESS = re.compile(r"[^\s\"(),:;<>@\[\\\]]+@[^\s\"(),:;<>@\[\\\]]+")


def b64_word(text: str, charset: str = "utf-8") -> str:
    return f"=?{charset}?b?{base64.b64encode(text.encode(charset)).decode()}?="


def mail(*headers: str, body: str = "Hola", from_: str | None = "Luis Acme <luis@acme.test>") -> bytes:
    lines = [f"From: {from_}"] if from_ is not None else []
    lines += ["To: soporte@atiende.test", *headers]
    if not any(h.lower().startswith("subject:") for h in headers):
        lines.append("Subject: Prueba")
    if not any(h.lower().startswith("content-type:") for h in headers):
        lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
    return "\n".join(lines).encode("utf-8", "surrogateescape") + b"\n\n" + body.encode()


def kept_values(parsed: ParsedEmail) -> list[str]:
    """Every header value the parser hands on for storing or for later mail."""
    values = [parsed.sender, parsed.sender_name, parsed.subject, parsed.message_id, parsed.loop_marker]
    values += [*parsed.recipients, *parsed.thread_ids, *parsed.headers.values()]
    values += [parsed.automatic_reason, parsed.bulk_reason, parsed.sender_problem]
    values += [upload.name for upload in parsed.uploads] + [upload.content_id for upload in parsed.uploads]
    if parsed.bounce is not None:
        values += [*parsed.bounce.recipients, *parsed.bounce.original_message_ids, parsed.bounce.diagnostic]
    return values


# --- the sender is the structured address, never a name ------------------------------------


def test_an_encoded_name_hiding_an_engineers_address_and_a_line_break_is_only_a_name():
    hidden = b64_word("agente@atiende.test\r\n")

    parsed = parse(mail(from_=f"{hidden} <intruso@example.net>"))

    assert parsed.sender == "intruso@example.net"
    assert parsed.sender_name == "agente@atiende.test"
    assert parsed.sender_problem == ""
    assert parsed.headers["From"] == '"agente@atiende.test" <intruso@example.net>'


@pytest.mark.parametrize(
    ("from_", "sender"),
    [
        ('"agente@atiende.test" <carla@globex.test>', "carla@globex.test"),
        ("agente@atiende.test <carla@globex.test>", ""),  # an address where a name belongs
        (f"{b64_word('<agente@atiende.test>')} <carla@globex.test>", "carla@globex.test"),
        ("(agente@atiende.test) carla@globex.test", "carla@globex.test"),
        ("carla@globex.test (agente@atiende.test)", "carla@globex.test"),
        ("Carla <CARLA@Globex.TEST>", "carla@globex.test"),
        ("Carla <@relay.globex.test:carla@globex.test>", "carla@globex.test"),  # obsolete route
        ("=?utf-8?q?Carla=0D=0AFrom:_agente@atiende.test?= <carla@globex.test>", "carla@globex.test"),
    ],
)
def test_the_sender_is_the_address_in_the_structure_of_from(from_, sender):
    parsed = parse(mail(from_=from_))

    assert parsed.sender == sender
    assert not CONTROL.search(parsed.sender_name)


@pytest.mark.parametrize(
    ("from_", "problem"),
    [
        ("<agente@atiende.test> <luis@acme.test>", "not one address"),
        ("<agente@atiende.test>\t<luis@acme.test>", "not one address"),
        ("Luis <luis@acme.test> agente@atiende.test", "not one address"),
        ("luis@acme.test, agente@atiende.test", "2 addresses"),
        ("Soporte: luis@acme.test;", "group"),
        ("undisclosed-recipients:;", "group"),
        ("Luis Acme", "not one address"),
        (b64_word("luis@acme.test"), "not one address"),  # an encoded word is never an address
        (f"Luis <{b64_word('luis@acme.test')}>", "not"),
        ('"agente@atiende.test"@example.net', "not a plain address"),
        ("luis@[192.0.2.1]", "not a plain address"),
        ("<>", "not"),
        ("Luis <luis@acme.test", "not one address"),
        ("", "no address"),
    ],
)
def test_a_from_that_is_not_exactly_one_plain_address_gives_no_sender_and_says_why(from_, problem):
    parsed = parse(mail(from_=from_))

    assert parsed.sender == ""
    assert problem in parsed.sender_problem
    assert parsed.headers.get("From", "") == " ".join(from_.split())  # shown to agents as it came


def test_two_from_headers_give_no_sender():
    parsed = parse(mail("From: Agente <agente@atiende.test>"))

    assert (parsed.sender, parsed.sender_problem) == ("", "2 From headers")


def test_a_message_without_from_gives_no_sender():
    parsed = parse(mail(from_=None))

    assert (parsed.sender, parsed.sender_problem) == ("", "no From header")


def test_a_raw_8bit_name_is_read_and_the_address_kept():
    raw = mail(from_="José Pérez <jose.perez@acme.test>").replace(
        "José Pérez".encode(), "José Pérez".encode("latin-1")
    )

    parsed = parse(raw)

    assert (parsed.sender, parsed.sender_name) == ("jose.perez@acme.test", "José Pérez")


def test_recipients_are_structured_addresses_and_names_never_become_recipients():
    parsed = parse(
        mail(
            f'Cc: {b64_word("redes@atiende.test")} <ana@acme.test>, "otro@atiende.test" <pedro@acme.test>',
            "Delivered-To: soporte@atiende.test",
            "Delivered-To: soporte+abc@atiende.test",
            "X-Original-To: <agente@atiende.test> <luis@acme.test>",
        )
    )

    assert parsed.recipients == [
        "soporte@atiende.test",
        "ana@acme.test",
        "pedro@acme.test",
        "soporte@atiende.test",
        "soporte+abc@atiende.test",
    ]


# --- no control characters in what we keep; valid Message-IDs only ----------------------------


def test_an_encoded_message_id_hiding_a_line_break_is_dropped_and_the_message_still_read():
    hidden = b64_word("<escaner@acme.test>\r\nBcc: todos@acme.test")

    parsed = parse(mail(f"Message-ID: {hidden}", body="El escáner no tiene red"))

    assert parsed.message_id == ""
    assert parsed.text == "El escáner no tiene red"
    assert not any(CONTROL.search(value) for value in kept_values(parsed))


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("<abc.123@acme.test>", "<abc.123@acme.test>"),
        ("  <abc@acme.test>  (comentario)", "<abc@acme.test>"),
        ("abc@acme.test", "<abc@acme.test>"),  # brackets forgotten by a broken mailer
        ("<abc\x00@acme.test>", ""),
        ("<abc@acme.test\x01>", ""),
        ("<abc de@acme.test>", ""),
        ("<abc@acme.test", ""),
        ("<sin-arroba.acme.test>", ""),
        ("<a@b@c>", ""),
        ("<ñandú@acme.test>", ""),
        ("<" + "a" * 240 + "@acme.test>", ""),
        ("", ""),
    ],
)
def test_a_message_id_is_kept_only_when_valid(value, kept):
    raw = mail(body="x").replace(b"Subject: Prueba", f"Subject: Prueba\nMessage-ID: {value}".encode())

    assert parse(raw).message_id == kept


def test_thread_ids_keep_only_valid_ids_and_never_decode_encoded_words():
    parsed = parse(
        mail(
            "In-Reply-To: " + b64_word("<victima@acme.test>\nX-Evil: 1"),
            "References: <bien-1@acme.test> <mal\x01dentro@acme.test> <sin-arroba>\n <bien-2@atiende.test>",
        )
    )

    assert parsed.thread_ids == ["<bien-2@atiende.test>", "<bien-1@acme.test>"]


def test_message_ids_in_returns_only_valid_ids():
    value = "<a@b> <c\x00d@e> <f g@h> <i@j\x85> <" + "k" * 300 + "@l> <m@n>"

    assert message_ids_in(value) == ["<a@b>", "<m@n>"]


@pytest.mark.parametrize(
    "subject",
    [
        "=?utf-8?q?Impresora=0D=0ABcc:_todos@acme.test?=",
        "=?utf-8?q?Impresora=00_da=C3=B1ada?=",
        "=?utf-8?b?" + base64.b64encode("Impresora\u2028\x85\x1bdañada\x7f".encode()).decode() + "?=",
        "Impresora\x0b\x0c dañada",
    ],
)
def test_control_characters_never_survive_in_the_subject_or_the_kept_headers(subject):
    parsed = parse(mail(f"Subject: {subject}", "X-Atiende-Loop: =?utf-8?q?a=0Ab?="))

    assert parsed.subject.startswith("Impresora")
    assert not any(CONTROL.search(value) for value in kept_values(parsed))


def test_file_names_and_content_ids_lose_their_control_characters():
    name = b64_word("captura\r\n.png")
    raw = mail(
        'Content-Type: multipart/mixed; boundary="P"',
        body=(
            "--P\nContent-Type: text/plain\n\nHola\n--P\nContent-Type: image/png\n"
            f'Content-Disposition: attachment; filename="{name}"\n'
            "Content-ID: =?utf-8?q?<img=0D=0A1@acme.test>?=\n\nPNG\n--P--\n"
        ),
    )

    parsed = parse(raw)

    assert [upload.name for upload in parsed.uploads] == ["captura .png"]
    assert not any(CONTROL.search(value) for value in kept_values(parsed))


# --- automatic mail is not list mail -----------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        (["Auto-Submitted: auto-replied"], "Auto-Submitted: auto-replied"),
        (["Auto-Submitted: Auto-Generated; owner-email=x@y"], "Auto-Submitted: auto-generated"),
        (["X-Autoreply: yes"], "X-Autoreply: yes"),
        (["X-Autorespond: Fuera de la oficina"], "X-Autorespond: Fuera de la oficina"),
        (["Precedence: auto_reply"], "Precedence: auto_reply"),
        (["Precedence: junk"], "Precedence: junk"),
        (["Precedence: bulk"], "Precedence: bulk"),
        # an auto-reply sent to a list and carried by it is still an auto-reply
        (["Auto-Submitted: auto-replied", "List-Id: <usuarios.acme.test>"], "Auto-Submitted: auto-replied"),
    ],
)
def test_genuine_automatic_mail_is_automatic_and_says_why(headers, reason):
    parsed = parse(mail(*headers))

    assert parsed.automatic
    assert parsed.automatic_reason == reason


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        (
            ["Precedence: list", "List-Id: Usuarios <usuarios.acme.test>"],
            "List-Id: Usuarios <usuarios.acme.test>",
        ),
        (["Precedence: list"], "Precedence: list"),
        (  # Google Groups
            [
                "Mailing-list: list soporte-ti@acme.test; contact soporte-ti+owners@acme.test",
                "X-Google-Group-Id: 448811223344",
                "Precedence: list",
            ],
            "Mailing-List: list soporte-ti@acme.test; contact soporte-ti+owners@acme.test",
        ),
        (
            ["Precedence: bulk", "List-Post: <mailto:usuarios@acme.test>"],
            "List-Post: <mailto:usuarios@acme.test>",
        ),
        (["X-Mailman-Version: 2.1.39", "Precedence: bulk"], "X-Mailman-Version: 2.1.39"),
        (["Auto-Submitted: no", "List-Id: <usuarios.acme.test>"], "List-Id: <usuarios.acme.test>"),
        (["X-Auto-Response-Suppress: All"], "X-Auto-Response-Suppress: All"),
        (
            ["X-Auto-Response-Suppress: DR, RN, NRN, OOF, AutoReply"],
            "X-Auto-Response-Suppress: DR, RN, NRN, OOF",
        ),
    ],
)
def test_list_group_and_outlook_mail_is_a_request_never_answered_automatically(headers, reason):
    parsed = parse(mail(*headers))

    assert not parsed.automatic
    assert parsed.automatic_reason == ""
    assert parsed.bulk
    assert parsed.bulk_reason.startswith(reason)


def test_outlooks_suppress_header_without_auto_reply_kinds_changes_nothing():
    parsed = parse(mail("X-Auto-Response-Suppress: DR, RN, NRN"))

    assert (parsed.automatic, parsed.bulk) == (False, False)


def test_a_bounce_is_automatic_and_says_so():
    parsed = parse(b"From: MAILER-DAEMON@mx.acme.test\nSubject: Undelivered\n\nNo se pudo entregar.\n")

    assert parsed.automatic
    assert parsed.automatic_reason == "bounce from mailer-daemon@mx.acme.test"


# --- decoding never fails a message --------------------------------------------------------------


def test_a_message_mixing_legacy_charsets_is_read_with_every_part_kept():
    parsed = parse((HERE / "corpus" / "charset_legacy_mixed.eml").read_bytes())

    assert parsed.sender == "carla@globex.test"
    assert parsed.sender_name == "Карла Глобекс"
    assert parsed.subject.startswith("障")
    assert parsed.subject.endswith("Servidor de la sede de Tokio")
    assert "東京支社のサーバ" in parsed.text
    assert "Сервер не отвечает с утра." in parsed.text
    assert "Desde esta mañana nadie entra" in parsed.text
    assert [upload.name for upload in parsed.uploads] == [
        "報告書.pdf",
        "請求書.pdf",
        "图表.png",
        "障\ufffd害報告\ufffd.txt",
        "отчёт.txt",
        "año.txt",
    ]
    assert not any(CONTROL.search(value) for value in kept_values(parsed))


def test_an_illegal_rfc2231_parameter_on_the_multipart_itself_does_not_stop_the_parser():
    raw = (
        b"From: Luis <luis@acme.test>\nSubject: Adjuntos\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=\"x\"; name*=iso-2022-jp''%1B%24B%3Ec%1B%24%28Q\n\n"
        b"--x\nContent-Type: text/plain; charset=utf-8\n\nHola equipo\n"
        b"--x\nContent-Type: application/pdf\n"
        b"Content-Disposition: attachment; filename*=iso-2022-jp''%1B%24B%3Ec%1B%24%28Q%1B%28B.pdf\n"
        b"Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--x--\n"
    )

    parsed = parse(raw)

    assert parsed.sender == "luis@acme.test"
    assert parsed.text == "Hola equipo"
    assert [upload.content for upload in parsed.uploads] == [b"%PDF-1.4\n"]
    assert parsed.uploads[0].name.endswith(".pdf")


@pytest.mark.parametrize(
    "charset", ["undefined", "unicode_escape", "rot13", "base64", "idna", "x-nada", "a\x01b"]
)
def test_a_body_in_a_charset_that_is_no_charset_is_read_as_text(charset):
    body = "La báscula marca cero \\x41"

    parsed = parse(mail(f'Content-Type: text/plain; charset="{charset}"', body=body))

    assert parsed.text == body


def test_gbk_text_labelled_gb2312_is_read_whole():
    body = "服务器宕机，請求支援".encode("gbk")  # 請 is in GBK, not in GB2312
    raw = mail("Content-Type: text/plain; charset=gb2312", "Content-Transfer-Encoding: 8bit", body="")

    assert parse(raw + body).text == "服务器宕机，請求支援"


def test_an_encoded_word_in_an_odd_charset_never_fails_the_subject():
    subject = "=?undefined?q?Hola?= =?iso-2022-jp?b?GyRCJCIbKEIb?= =?x-nada?q?ma=F1ana?="

    parsed = parse(mail(f"Subject: {subject}"))

    assert "mañana" in parsed.subject
    assert not CONTROL.search(parsed.subject)


# --- files that must not be lost ---------------------------------------------------------------


def multipart(*parts: str) -> bytes:
    body = "".join(f"--P\n{part}\n" for part in parts) + "--P--\n"
    return mail('Content-Type: multipart/mixed; boundary="P"', body=body)


def test_a_zero_byte_attachment_is_kept_empty():
    parsed = parse(
        multipart(
            "Content-Type: text/plain\n\nAdjunto el registro vacío",
            'Content-Type: text/plain; name="errores.log"\nContent-Disposition: attachment; '
            'filename="errores.log"\nContent-Transfer-Encoding: base64\n',
            "Content-Type: application/pdf\nContent-Disposition: attachment\n",
        )
    )

    assert [(upload.name, upload.content) for upload in parsed.uploads] == [
        ("errores.log", b""),
        ("adjunto.pdf", b""),
    ]


def test_a_forwarded_message_is_named_after_its_subject_made_safe_and_short():
    subject = "=?utf-8?q?Re:_Factura_=3Cvencida=3E/pague_*hoy*=3F_=0D=0A?=" + " x" * 120

    parsed = parse(
        multipart(
            "Content-Type: text/plain\n\nMiren",
            f"Content-Type: message/rfc822\n\nSubject: {subject}\n\nTexto",
        )
    )

    name = parsed.uploads[0].name
    assert name.startswith("Re Factura vencida pague hoy x")
    assert name.endswith(".eml")
    assert len(name) <= 104
    assert not re.search(r'[\\/:*?"<>|\x00-\x1f]', name)


@pytest.mark.parametrize(
    "inner", ["From: a@b.test\n\nSin asunto", "Subject: =?utf-8?q?=0D=0A?=\n\nVacío", "Subject: ...\n\nx"]
)
def test_a_forwarded_message_without_a_usable_subject_keeps_the_generic_name(inner):
    parsed = parse(multipart("Content-Type: text/plain\n\nMiren", f"Content-Type: message/rfc822\n\n{inner}"))

    assert [upload.name for upload in parsed.uploads] == ["mensaje-reenviado.eml"]


def test_a_forwarded_message_with_its_own_file_name_keeps_it():
    parsed = parse(
        multipart(
            "Content-Type: text/plain\n\nMiren",
            'Content-Type: message/rfc822; name="original.eml"\nContent-Disposition: attachment; '
            'filename="original.eml"\n\nSubject: Otro nombre\n\nx',
        )
    )

    assert [upload.name for upload in parsed.uploads] == ["original.eml"]


# --- fuzzing real messages ----------------------------------------------------------------------

MUTATIONS = [
    b"\r\n",
    b"\n\n",
    b"\x00",
    b"\x85",
    b"=?utf-8?B?",
    b"=?utf-8?q?=0D=0A?=",
    b"=?iso-2022-jp?b?GyRCPmMbJChRMzJKczlwGyhCGyRCf38=?=",
    b"=?undefined?q?x?=",
    b"<a\x01@b>",
    b"<x@y> <z@w>",
    b"\nFrom: otro@atiende.test\n",
    b"; name*=iso-2022-jp''%1B%24B%3Ec%1B%24%28Q",
    b"; charset=unicode_escape",
    b"--",
    b'boundary="',
    b"\xff\xfe",
]


@st.composite
def mutated_real_messages(draw: st.DrawFn) -> bytes:
    raw = bytearray(REAL_MESSAGES[draw(st.integers(0, len(REAL_MESSAGES) - 1))].read_bytes())
    for _ in range(draw(st.integers(1, 5))):
        if not raw:
            break
        at = draw(st.integers(0, len(raw) - 1))
        kind = draw(st.sampled_from(["flip", "insert", "cut"]))
        if kind == "flip":
            raw[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            raw[at:at] = draw(st.sampled_from(MUTATIONS) | st.binary(max_size=24))
        else:
            del raw[at : at + draw(st.integers(1, 80))]
    return bytes(raw)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(raw=mutated_real_messages())
def test_mutated_real_messages_parse_without_raising_and_keep_no_control_characters(raw: bytes) -> None:
    parsed = parse(raw)

    assert not [value for value in kept_values(parsed) if CONTROL.search(value)]
    assert parsed.message_id == "" or VALID_ID.fullmatch(parsed.message_id)
    assert all(VALID_ID.fullmatch(mid) for mid in parsed.thread_ids)
    assert parsed.sender == "" or PLAIN_ADDRESS.fullmatch(parsed.sender)
    assert all(PLAIN_ADDRESS.fullmatch(address) for address in parsed.recipients)
    assert parsed.automatic == bool(parsed.automatic_reason)
    assert all(isinstance(upload.content, bytes) for upload in parsed.uploads)


def test_every_real_message_parses_without_control_characters_in_what_is_kept():
    for path in REAL_MESSAGES:
        parsed = parse(path.read_bytes())
        assert not [value for value in kept_values(parsed) if CONTROL.search(value)], path.name
