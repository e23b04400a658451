"""Where a message goes: threading, who may write, new contacts, loops, limits, bounces."""

from __future__ import annotations

import threading
from email import policy
from email.message import EmailMessage

import pytest
from django.core import mail as django_mail
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from atiende.mail.inbound import process, store
from atiende.mail.models import InboundEmail, InboundStatus, Mailbox
from atiende.outbox.headers import loop_token
from atiende.outbox.message_ids import new_message_id
from atiende.outbox.models import OutboundEmail
from atiende.outbox.reply_tokens import reply_address
from atiende.tickets import actions
from atiende.tickets.models import LinkKind, MessageKind, Queue, SenderCheck, Ticket
from tests.factories import open_ticket

_counter = iter(range(1, 1_000_000))


def email(
    sender: str,
    subject: str = "Consulta",
    body: str = "Hola, necesito ayuda.",
    *,
    to: str = "soporte@atiende.test",
    headers: dict[str, str] | None = None,
    html: str = "",
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<m{next(_counter)}@cliente.test>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    # Mail clients write Message-IDs as they are, however long (Python would encode them).
    return message.as_bytes(policy=policy.SMTP.clone(max_line_length=998))


def deliver(raw: bytes) -> str:
    record, _new = store(raw, source="test")
    return process(record).text


def test_a_reply_finds_its_ticket_by_in_reply_to_even_with_a_new_subject(world):
    ticket = open_ticket(world.luis, world.soporte)
    ours = new_message_id(ticket.number)

    result = deliver(email("luis@acme.test", "Otra cosa", "Ya reinicié.", headers={"In-Reply-To": ours}))

    assert result.startswith(f"updated #{ticket.number}")
    assert ticket.messages.last().body_text == "Ya reinicié."  # type: ignore[union-attr]


def test_a_reply_to_the_message_id_we_sent_its_sender_is_verified(world):
    ticket = open_ticket(world.luis, world.soporte)
    ours = new_message_id(ticket.number, "luis@acme.test")

    result = deliver(email("luis@acme.test", "Otra cosa", "Ya reinicié.", headers={"In-Reply-To": ours}))

    assert result == f"updated #{ticket.number}"
    assert ticket.messages.last().sender_check == SenderCheck.REPLY_TOKEN  # type: ignore[union-attr]


def test_a_forged_message_id_does_not_thread(world):
    ticket = open_ticket(world.luis, world.soporte)
    forged = new_message_id(ticket.number).replace(".t", ".t9", 1)

    deliver(email("luis@acme.test", "Hola", headers={"References": forged}))

    assert ticket.messages.count() == 1
    assert Ticket.objects.count() == 2


def test_references_to_a_message_we_received_thread_too(world):
    deliver(email("luis@acme.test", "Primera"))
    first = Ticket.objects.get()
    original_id = first.messages.get().email_message_id

    result = deliver(
        email("luis@acme.test", "Cambié el asunto", "Más datos.", headers={"References": original_id})
    )

    assert result.startswith(f"updated #{first.number}")


def test_the_quoted_earlier_message_is_folded_away_and_kept_in_the_raw(world):
    ticket = open_ticket(world.luis, world.soporte)
    body = (
        "Ya funciona, gracias.\n\n"
        "El lun, 3 nov 2025 a las 10:00, Soporte <soporte@atiende.test> escribió:\n"
        "> ¿Puede reiniciar el equipo?\n"
    )

    deliver(email("luis@acme.test", f"RE: [#{ticket.number}] La impresora", body))

    assert ticket.messages.last().body_text == "Ya funciona, gracias."  # type: ignore[union-attr]
    assert b"reiniciar el equipo" in bytes(InboundEmail.objects.get().raw)


def test_a_copied_address_may_write_on_the_ticket(world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.change_ticket(world.agente.user, ticket, cc=["carla@globex.test"])

    to = reply_address("soporte@atiende.test", ticket.number, "carla@globex.test")

    result = deliver(email("carla@globex.test", f"Re: [#{ticket.number}] La impresora", "Sí.", to=to))

    assert result == f"updated #{ticket.number}"
    assert ticket.messages.last().author == world.carla.user  # type: ignore[union-attr]


def test_a_copied_address_without_an_account_writes_but_gets_no_company(world, client):
    ticket = open_ticket(world.luis, world.soporte)
    actions.change_ticket(world.agente.user, ticket, cc=["consultor@externo.test"])
    to = reply_address("soporte@atiende.test", ticket.number, "consultor@externo.test")

    result = deliver(email("consultor@externo.test", f"Re: [#{ticket.number}] X", "Revisado.", to=to))

    assert result == f"updated #{ticket.number}"
    author = ticket.messages.last().author  # type: ignore[union-attr]
    assert author is not None and author.email == "consultor@externo.test"
    assert author.contact_or_none is None  # never a company contact by itself
    client.force_login(author)
    assert client.get(reverse("portal:ticket-detail", args=[ticket.number])).status_code == 404
    for name in (
        "portal:home",
        "portal:tickets",
        "portal:company-tickets",
        "portal:search",
        "portal:ticket-new",
    ):
        response = client.get(reverse(name))
        assert response.status_code in {302, 404}, name
        assert ticket.subject not in response.content.decode()


def test_an_engineers_email_is_a_public_reply(world):
    ticket = open_ticket(world.luis, world.soporte)
    to = reply_address("soporte@atiende.test", ticket.number, "agente@atiende.test")

    deliver(email("agente@atiende.test", f"Re: [#{ticket.number}] La impresora", "Voy en camino.", to=to))

    reply = ticket.messages.last()
    assert reply is not None
    assert (reply.kind, reply.author) == (MessageKind.PUBLIC, world.agente.user)
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None


def test_an_engineers_email_without_a_ticket_is_quarantined(world):
    assert deliver(email("agente@atiende.test", "Nota suelta")).startswith("quarantined: agente@atiende.test")
    assert not Ticket.objects.exists()


def test_a_reply_to_a_closed_ticket_tells_the_sender_why_a_new_one_was_opened(
    world, django_capture_on_commit_callbacks
):
    closed = open_ticket(world.luis, world.soporte)
    actions.close_ticket(world.agente.user, closed)
    django_mail.outbox.clear()

    signed = {"In-Reply-To": new_message_id(closed.number, "luis@acme.test")}
    with django_capture_on_commit_callbacks(execute=True):
        deliver(
            email(
                "luis@acme.test", f"Re: [#{closed.number}] La impresora", "Volvió a fallar.", headers=signed
            )
        )

    new = Ticket.objects.exclude(pk=closed.pk).get()
    assert new.links_out.get().kind == LinkKind.CONTINUES
    notice = next(m for m in django_mail.outbox if closed.reference in m.subject)
    assert new.reference in notice.body
    assert notice.extra_headers["Auto-Submitted"] == "auto-replied"


def test_a_new_sender_from_a_companys_domain_becomes_its_contact(world):
    result = deliver(email("Pedro Pérez <pedro@acme.test>", "Sin correo"))

    ticket = Ticket.objects.get()
    assert result == f"created #{ticket.number}"
    assert (ticket.requester.user.email, ticket.requester.user.full_name) == (
        "pedro@acme.test",
        "Pedro Pérez",
    )
    assert ticket.organization == world.acme


AUTHENTICATED = {"Authentication-Results": "mx.proveedor.test; dmarc=pass header.from=lejano.test"}


@override_settings(ATIENDE_MAIL_TRUSTED_AUTHSERV_IDS=["mx.proveedor.test"])
def test_an_unknown_sender_is_answered_once_per_limit_and_kept(world, django_capture_on_commit_callbacks):
    with (
        override_settings(ATIENDE_MAIL_AUTOREPLIES_PER_HOUR=2),
        django_capture_on_commit_callbacks(execute=True),
    ):
        results = [
            deliver(email("robot@lejano.test", f"Compre ya {n}", "SPAM", headers=AUTHENTICATED))
            for n in range(4)
        ]

    assert all(result.startswith("quarantined: unknown sender robot@lejano.test") for result in results)
    answers = OutboundEmail.objects.filter(kind="mail_unknown_sender", to=["robot@lejano.test"])
    assert answers.count() == 2
    # Never repeats what we received: a forged sender cannot make us relay a text.
    assert all("Compre" not in a.subject + a.body_text + a.body_html for a in answers)
    assert all("SPAM" not in a.body_text + a.body_html for a in answers)
    assert InboundEmail.objects.filter(status=InboundStatus.QUARANTINED).count() == 4


def test_an_unverified_unknown_sender_is_kept_but_never_answered(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = deliver(email("victima@lejano.test", "Factura", "Abra el enlace"))

    assert result.startswith("quarantined: unknown sender victima@lejano.test")
    assert not OutboundEmail.objects.filter(to=["victima@lejano.test"]).exists()


@override_settings(
    ATIENDE_MAIL_TRUSTED_AUTHSERV_IDS=["mx.proveedor.test"], ATIENDE_MAIL_AUTOREPLIES_TOTAL_PER_HOUR=3
)
def test_automatic_answers_stop_at_the_hourly_total_whoever_the_senders(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(6):
            deliver(email(f"robot{n}@lejano.test", "Hola", headers=AUTHENTICATED))

    assert OutboundEmail.objects.filter(kind="mail_unknown_sender").count() == 3
    assert InboundEmail.objects.filter(status=InboundStatus.QUARANTINED).count() == 6


@override_settings(ATIENDE_MAIL_UNKNOWN_SENDERS="catch-all", ATIENDE_MAIL_CATCH_ALL_COMPANY="Globex Ltda.")
def test_the_catch_all_policy_files_strangers_under_one_company(world):
    deliver(email("alguien@lejano.test", "Hola"))

    assert Ticket.objects.get().organization == world.globex


@override_settings(ATIENDE_MAIL_TICKETS_PER_DAY=2)
def test_beyond_the_daily_ticket_limit_mail_is_quarantined_not_dropped(world):
    results = [deliver(email("luis@acme.test", f"Problema {n}")) for n in range(3)]

    assert [r.split()[0] for r in results] == ["created", "created", "quarantined:"]
    assert "limit 2" in results[2]
    assert Ticket.objects.count() == 2


@pytest.mark.parametrize(
    ("sender", "headers"),
    [
        ("luis@acme.test", {"X-Atiende-Loop": "OURS"}),
        ("soporte@atiende.test", {}),
    ],
)
def test_our_own_mail_is_never_processed_again(world, sender, headers):
    headers = {name: loop_token() if value == "OURS" else value for name, value in headers.items()}
    assert deliver(email(sender, "Eco", headers=headers)).startswith("ignored: sent by this help desk")
    assert not Ticket.objects.exists()


def test_a_new_queue_address_or_mailbox_is_known_from_the_next_message(world):
    """The queues and our addresses are kept per process: a change is read again at once."""
    assert deliver(email("luis@acme.test", "Primero", to="redes@atiende.test")).startswith("created")
    assert Ticket.objects.get().queue == Queue.objects.filter(is_active=True).order_by("pk").first()

    world.redes.email_address = "redes@atiende.test"
    world.redes.save()
    assert deliver(email("luis@acme.test", "Segundo", to="redes@atiende.test")).startswith("created")
    assert Ticket.objects.latest("pk").queue == world.redes

    Mailbox.objects.create(name="Buzón", queue=world.soporte, host="imap.test", username="buzon@atiende.test")
    assert deliver(email("Buzon@atiende.test", "Eco")).startswith("ignored: sent by this help desk")
    assert deliver(email("redes@atiende.test", "Eco")).startswith("ignored: sent by this help desk")


def test_a_bounce_of_our_notice_lands_on_its_ticket_as_a_system_event(world):
    ticket = open_ticket(world.luis, world.soporte)
    ours = new_message_id(ticket.number)
    raw = (
        "From: MAILER-DAEMON@mx.acme.test (Mail Delivery System)\n"
        "To: soporte@atiende.test\nSubject: Undelivered Mail Returned to Sender\n"
        "Message-ID: <dsn-1@mx.acme.test>\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
        "--B\nContent-Type: text/plain; charset=us-ascii\n\nI'm sorry to have to inform you...\n"
        "--B\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.acme.test\n\nFinal-Recipient: rfc822; luis@acme.test\n"
        "Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n\n"
        f"--B\nContent-Type: text/rfc822-headers\n\nMessage-ID: {ours}\nSubject: [#{ticket.number}] aviso\n\n"
        "--B--\n"
    ).encode()

    result = deliver(raw)

    assert result == f"bounce recorded on #{ticket.number}"
    event = ticket.messages.get(kind=MessageKind.EVENT)
    assert "luis@acme.test" in event.body_text
    assert "550 5.1.1 User unknown" in event.body_text
    assert Ticket.objects.count() == 1


@override_settings(ATIENDE_MAIL_MAX_BYTES=2000)
def test_a_message_over_the_size_limit_is_quarantined_with_the_reason(world):
    result = deliver(email("luis@acme.test", "Grande", "x" * 5000))

    assert result.startswith("quarantined: message too large")
    assert not Ticket.objects.exists()


def test_html_mail_keeps_inline_images_in_place_and_drops_remote_ones(world, client):
    message = EmailMessage()
    message["From"] = "luis@acme.test"
    message["To"] = "soporte@atiende.test"
    message["Subject"] = "Pantallazo"
    message["Message-ID"] = "<html-1@acme.test>"
    message.set_content("Vea el error.")
    message.add_alternative(
        '<p>Vea el <b>error</b>:</p><img src="cid:shot@acme"><img src="https://tracker.test/p.gif" alt="pixel">'
        '<script>alert(1)</script><a href="javascript:alert(1)" onclick="x()">enlace</a>',
        subtype="html",
    )
    html_part = message.get_payload()[1]  # type: ignore[index]
    assert isinstance(html_part, EmailMessage)
    html_part.add_related(
        b"\x89PNG\r\n\x1a\nfake", maintype="image", subtype="png", cid="<shot@acme>", filename="shot.png"
    )

    deliver(message.as_bytes())

    ticket = Ticket.objects.get()
    client.force_login(world.luis.user)
    page = client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode()
    shot = ticket.messages.get().attachments.get()
    assert f'<img src="{reverse("attachment", args=[shot.pk, "shot.png"])}"' in page
    assert "<b>error</b>" in page
    assert "tracker.test" not in page
    assert "<script>alert" not in page and "javascript:" not in page and "onclick" not in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_processing_the_same_message_make_one_ticket(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between threads need PostgreSQL")
    record, _new = store(email("luis@acme.test", "Carrera"), source="test")
    outcomes: list[str] = []

    def work() -> None:
        outcomes.append(process(InboundEmail.objects.get(pk=record.pk)).text)
        connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Ticket.objects.count() == 1
    assert len(set(outcomes)) == 1


def test_mail_from_a_queues_address_or_a_mailboxs_account_is_never_processed_again(world):
    world.redes.email_address = "Redes@Atiende.test"
    world.redes.save()
    Mailbox.objects.create(name="Buzón", queue=world.soporte, host="imap.test", username="buzon@atiende.test")

    for sender in ("redes@atiende.test", "BUZON@atiende.test"):
        assert deliver(email(sender, "Eco")).startswith("ignored: sent by this help desk")
    assert not Ticket.objects.exists()
