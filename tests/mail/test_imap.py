"""IMAP polling against a real dovecot, with password and XOAUTH2 sign-in."""

from __future__ import annotations

import io
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone

from atiende.mail import imap
from atiende.mail.imap import poll_all, poll_mailbox
from atiende.mail.models import InboundEmail, InboundStatus, Mailbox, MailboxAuth, MailboxSecurity
from atiende.tickets.models import Ticket
from tests.mail.servers import USERS, free_port

pytestmark = pytest.mark.server


def email(sender: str, subject: str, message_id: str, body: str = "La impresora no imprime.") -> bytes:
    return (
        f"From: {sender}\r\nTo: soporte@mail.test\r\nSubject: {subject}\r\n"
        f"Message-ID: <{message_id}@acme.test>\r\nDate: Sun, 22 Nov 2026 09:00:00 -0500\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


def make_mailbox(dovecot, queue, name: str = "soporte", user: str = "soporte@mail.test", **values) -> Mailbox:
    values = {"password": USERS[user], "port": dovecot.port, "security": MailboxSecurity.NONE, **values}
    return Mailbox.objects.create(name=name, queue=queue, host="127.0.0.1", username=user, **values)


def flags(dovecot, user: str = "soporte@mail.test", folder: str = "INBOX") -> list[set[str]]:
    return [found for found, _raw in dovecot.messages(user, folder)]


def test_a_poll_opens_tickets_and_flags_the_messages_seen(world, dovecot):
    dovecot.deliver("soporte@mail.test", email("ana@acme.test", "2_Sin correo en recepción", "a1"))
    dovecot.deliver("soporte@mail.test", email("luis@acme.test", "La VPN no conecta", "l1"))
    mailbox = make_mailbox(dovecot, world.soporte)

    result = poll_mailbox(mailbox)

    assert (result.fetched, result.new, result.errors, result.error) == (2, 2, 0, "")
    tickets = Ticket.objects.order_by("number")
    assert [(t.requester, t.queue, t.subject) for t in tickets] == [
        (world.ana, world.soporte, "Sin correo en recepción"),
        (world.luis, world.soporte, "La VPN no conecta"),
    ]
    assert result.outcomes == [f"created #{t.number}" for t in tickets]
    assert all("\\Seen" in found for found in flags(dovecot))
    stored = InboundEmail.objects.get(message_id="<a1@acme.test>")
    assert (stored.source, stored.mailbox, stored.status) == (
        "imap:soporte",
        mailbox,
        InboundStatus.PROCESSED,
    )
    mailbox.refresh_from_db()
    assert mailbox.last_error == ""
    assert mailbox.last_polled_at is not None


def test_messages_already_seen_are_left_alone(world, dovecot):
    dovecot.deliver("soporte@mail.test", email("ana@acme.test", "Leído por alguien", "seen"), seen=True)

    result = poll_mailbox(make_mailbox(dovecot, world.soporte))

    assert (result.fetched, result.new) == (0, 0)
    assert not Ticket.objects.exists()


def test_a_quarantined_message_is_stored_and_flagged_too(world, dovecot):
    dovecot.deliver("soporte@mail.test", email("desconocido@otra.test", "Hola", "unknown"))

    result = poll_mailbox(make_mailbox(dovecot, world.soporte))

    assert result.outcomes == [
        "quarantined: unknown sender desconocido@otra.test: no company uses the domain"
    ]
    assert InboundEmail.objects.get().status == InboundStatus.QUARANTINED
    assert "\\Seen" in flags(dovecot)[0]


def test_with_move_to_processed_messages_go_to_that_folder_even_one_to_create(world, dovecot):
    raw = email("ana@acme.test", "Pantalla azul", "move")
    dovecot.deliver("soporte@mail.test", raw)
    mailbox = make_mailbox(dovecot, world.soporte, move_to="Atendidos año")

    result = poll_mailbox(mailbox)

    assert (result.new, result.error) == (1, "")
    assert flags(dovecot) == []
    moved = dovecot.messages("soporte@mail.test", "Atendidos a&APE-o")  # the name in modified UTF-7
    assert [(found - {"\\Recent"}, body) for found, body in moved] == [({"\\Seen"}, raw)]
    assert Ticket.objects.count() == 1


def test_the_same_message_delivered_twice_makes_one_ticket(world, dovecot):
    raw = email("ana@acme.test", "Duplicado", "twice")
    mailbox = make_mailbox(dovecot, world.soporte)
    dovecot.deliver("soporte@mail.test", raw)
    poll_mailbox(mailbox)
    dovecot.deliver("soporte@mail.test", raw)  # e.g. the sender's server delivered it again

    second = poll_mailbox(mailbox)

    assert (second.fetched, second.new, second.errors) == (1, 0, 0)
    assert Ticket.objects.count() == 1
    assert InboundEmail.objects.count() == 1
    assert all("\\Seen" in found for found in flags(dovecot))


def test_a_message_that_fails_to_store_stays_unseen_and_comes_in_on_the_next_poll(
    world, dovecot, monkeypatch
):
    dovecot.deliver("soporte@mail.test", email("ana@acme.test", "Sin red", "fails"))
    mailbox = make_mailbox(dovecot, world.soporte)

    def database_down(*args, **kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(imap, "store", database_down)
    failed = poll_mailbox(mailbox)

    assert (failed.fetched, failed.new, failed.errors) == (1, 0, 1)
    assert not failed.ok
    assert "\\Seen" not in flags(dovecot)[0]
    assert not InboundEmail.objects.exists()
    mailbox.refresh_from_db()
    assert mailbox.last_error == "UID 1 not stored: DatabaseError: database is locked"

    monkeypatch.undo()
    retried = poll_mailbox(mailbox)

    assert (retried.new, retried.errors) == (1, 0)
    assert Ticket.objects.count() == 1
    assert "\\Seen" in flags(dovecot)[0]
    mailbox.refresh_from_db()
    assert mailbox.last_error == ""


def test_a_crash_after_storing_refetches_and_still_makes_one_ticket(world, dovecot, monkeypatch):
    dovecot.deliver("soporte@mail.test", email("ana@acme.test", "Corte", "crash"))
    mailbox = make_mailbox(dovecot, world.soporte)

    def crash(*args, **kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(imap, "process", crash)
    crashed = poll_mailbox(mailbox)
    monkeypatch.undo()
    again = poll_mailbox(mailbox)

    assert crashed.problems == ["UID 1 stored, not processed: DatabaseError: connection lost"]
    assert InboundEmail.objects.count() == 1
    assert (again.fetched, again.new, again.errors) == (1, 0, 0)
    assert again.outcomes == [f"created #{Ticket.objects.get().number}"]
    assert "\\Seen" in flags(dovecot)[0]


def test_a_wrong_password_is_recorded_and_the_other_mailboxes_are_still_polled(world, dovecot):
    dovecot.deliver("redes@mail.test", email("carla@globex.test", "Switch caído", "redes"))
    dovecot.deliver("soporte@mail.test", email("ana@acme.test", "No se lee", "wrong"))
    wrong = make_mailbox(dovecot, world.soporte, password="otra-clave")
    right = make_mailbox(dovecot, world.redes, name="redes", user="redes@mail.test")
    make_mailbox(dovecot, world.redes, name="apagado", user="redes@mail.test", is_active=False)

    assert poll_all() == 1

    wrong.refresh_from_db()
    right.refresh_from_db()
    assert wrong.last_error == (
        "sign-in refused for soporte@mail.test: [AUTHENTICATIONFAILED] Authentication failed."
    )
    assert wrong.last_polled_at is not None
    assert right.last_error == ""
    assert Ticket.objects.get().queue == world.redes
    assert "\\Seen" not in flags(dovecot)[0]
    assert Mailbox.objects.get(name="apagado").last_polled_at is None


def test_a_mailbox_being_polled_is_not_polled_twice_at_once(world, dovecot):
    dovecot.deliver("soporte@mail.test", email("ana@acme.test", "Dos a la vez", "busy"))
    mailbox = make_mailbox(dovecot, world.soporte)
    cache.add(f"atiende:mail:poll:{mailbox.pk}", "1")  # another worker is polling it

    busy = poll_mailbox(mailbox)
    cache.clear()  # that worker finished
    after = poll_mailbox(mailbox)

    assert (busy.busy, busy.ok, busy.fetched, busy.summary()) == (
        True,
        True,
        0,
        "soporte: skipped, another poll of it is running",
    )
    assert (after.busy, after.new) == (False, 1)


def test_a_server_that_does_not_answer_is_recorded(world):
    port = free_port(range(14390, 14400))
    mailbox = Mailbox.objects.create(
        name="caido", queue=world.soporte, host="127.0.0.1", port=port, security=MailboxSecurity.NONE
    )

    result = poll_mailbox(mailbox)

    assert result.error == f"cannot connect to 127.0.0.1:{port}: Connection refused (ConnectionRefusedError)"
    mailbox.refresh_from_db()
    assert mailbox.last_error == result.error


def test_a_folder_that_does_not_exist_is_recorded(world, dovecot):
    result = poll_mailbox(make_mailbox(dovecot, world.soporte, folder="Soporte"))

    assert result.error.startswith("cannot open folder Soporte: Mailbox doesn't exist: Soporte")


@pytest.mark.parametrize("security", [MailboxSecurity.SSL, MailboxSecurity.STARTTLS])
def test_imaps_and_starttls_check_the_certificate_and_poll(world, dovecot, monkeypatch, security):
    dovecot.deliver("soporte@mail.test", email("ana@acme.test", "Por TLS", f"tls-{security}"))
    port = dovecot.tls_port if security == MailboxSecurity.SSL else dovecot.port
    mailbox = make_mailbox(dovecot, world.soporte, security=security, port=port)
    monkeypatch.setattr(
        imap, "tls_context", lambda: ssl.create_default_context(cafile=str(dovecot.root / "cert.pem"))
    )

    result = poll_mailbox(mailbox)

    assert (result.new, result.error) == (1, "")


def test_a_certificate_no_authority_vouches_for_is_refused(world, dovecot):
    dovecot.deliver("soporte@mail.test", email("ana@acme.test", "Certificado falso", "tls-bad"))
    mailbox = make_mailbox(dovecot, world.soporte, security=MailboxSecurity.SSL, port=dovecot.tls_port)

    result = poll_mailbox(mailbox)

    assert result.error.startswith(f"cannot connect to 127.0.0.1:{dovecot.tls_port}: ")
    assert "certificate verify failed" in result.error
    assert not InboundEmail.objects.exists()


def test_folder_names_are_sent_in_modified_utf7():
    assert imap._folder("INBOX") == '"INBOX"'
    assert imap._folder("Atendidos año") == '"Atendidos a&APE-o"'
    assert imap._folder('R&D "2026"') == '"R&-D \\"2026\\""'


# --- XOAUTH2 ---


def oauth_mailbox(dovecot, token_server, queue, **values) -> Mailbox:
    return make_mailbox(
        dovecot,
        queue,
        user="oauth@mail.test",
        auth=MailboxAuth.XOAUTH2,
        password="",
        oauth_token_url=token_server.token_url,
        oauth_client_id="atiende-client",
        oauth_client_secret="client-secret",
        oauth_scope="https://outlook.office365.com/IMAP.AccessAsUser.All offline_access",
        oauth_refresh_token=token_server.grant("oauth@mail.test"),
        **values,
    )


def test_xoauth2_gets_an_access_token_and_signs_in_with_it(world, dovecot, token_server):
    dovecot.deliver("oauth@mail.test", email("ana@acme.test", "Desde Microsoft 365", "o1"))
    mailbox = oauth_mailbox(dovecot, token_server, world.soporte)

    result = poll_mailbox(mailbox)

    assert (result.new, result.error) == (1, "")
    assert Ticket.objects.get().requester == world.ana
    assert token_server.requests == [
        {
            "grant_type": "refresh_token",
            "refresh_token": "refresh-1",
            "client_id": "atiende-client",
            "client_secret": "client-secret",
            "scope": "https://outlook.office365.com/IMAP.AccessAsUser.All offline_access",
        }
    ]
    mailbox.refresh_from_db()
    assert mailbox.oauth_access_token == "access-2"
    assert mailbox.oauth_expires_at is not None
    assert abs((mailbox.oauth_expires_at - timezone.now()) - timedelta(hours=1)) < timedelta(minutes=1)


def test_a_valid_token_is_reused_and_one_about_to_expire_is_refreshed(world, dovecot, token_server):
    mailbox = oauth_mailbox(dovecot, token_server, world.soporte)
    poll_mailbox(mailbox)
    poll_mailbox(mailbox)
    assert len(token_server.requests) == 1

    mailbox.oauth_expires_at = timezone.now() + timedelta(seconds=59)
    mailbox.save()
    result = poll_mailbox(mailbox)

    assert result.error == ""
    assert len(token_server.requests) == 2
    mailbox.refresh_from_db()
    assert mailbox.oauth_access_token == "access-3"


def test_a_rotated_refresh_token_is_kept_and_used_next_time(world, dovecot, token_server):
    token_server.rotate = True
    mailbox = oauth_mailbox(dovecot, token_server, world.soporte)

    assert poll_mailbox(mailbox).error == ""
    mailbox.refresh_from_db()
    assert mailbox.oauth_refresh_token == "refresh-3"
    assert "refresh-1" not in token_server.refresh_tokens

    mailbox.oauth_expires_at = timezone.now()
    mailbox.save()
    assert poll_mailbox(mailbox).error == ""
    assert token_server.requests[-1]["refresh_token"] == "refresh-3"


def test_an_access_token_the_server_refuses_is_refreshed_once(world, dovecot, token_server):
    dovecot.deliver("oauth@mail.test", email("ana@acme.test", "Token revocado", "o2"))
    mailbox = oauth_mailbox(dovecot, token_server, world.soporte)
    poll_mailbox(mailbox)
    token_server.revoke_access()  # still within its lifetime on our side

    result = poll_mailbox(mailbox)

    assert (result.error, len(token_server.requests)) == ("", 2)


def test_a_brand_new_token_the_server_refuses_is_not_refreshed_again(world, dovecot, token_server):
    mailbox = oauth_mailbox(dovecot, token_server, world.soporte)
    mailbox.oauth_refresh_token = token_server.grant("redes@mail.test")  # consent given by the wrong user
    mailbox.save()

    result = poll_mailbox(mailbox)

    assert (
        result.error
        == "XOAUTH2 sign-in refused for oauth@mail.test: [AUTHENTICATIONFAILED] Authentication failed."
    )
    assert len(token_server.requests) == 1


def test_a_refused_refresh_leaves_a_clear_error_and_the_mail_unread(world, dovecot, token_server):
    dovecot.deliver("oauth@mail.test", email("ana@acme.test", "Sin token", "o3"))
    mailbox = oauth_mailbox(dovecot, token_server, world.soporte)
    token_server.refresh_tokens.clear()  # the administrator revoked the app's consent

    result = poll_mailbox(mailbox)

    assert result.error == (
        "OAuth 2: the token endpoint refused the refresh (HTTP 400): "
        "invalid_grant: The refresh token has expired."
    )
    mailbox.refresh_from_db()
    assert mailbox.last_error == result.error
    assert mailbox.oauth_access_token == ""
    assert "\\Seen" not in flags(dovecot, "oauth@mail.test")[0]
    assert not InboundEmail.objects.exists()


def test_a_token_endpoint_that_does_not_answer_is_named_in_the_error(world, dovecot, token_server):
    mailbox = oauth_mailbox(dovecot, token_server, world.soporte)
    mailbox.oauth_token_url = f"http://127.0.0.1:{free_port(range(14390, 14400))}/token"
    mailbox.save()

    result = poll_mailbox(mailbox)

    assert result.error.startswith(f"OAuth 2: the token endpoint {mailbox.oauth_token_url} cannot be reached")


# --- the command ---


def test_the_poll_command_prints_each_mailbox_and_fails_when_one_failed(world, dovecot):
    dovecot.deliver("soporte@mail.test", email("ana@acme.test", "Por comando", "cmd"))
    make_mailbox(dovecot, world.soporte)
    make_mailbox(dovecot, world.redes, name="redes", user="redes@mail.test", password="mala")
    out = io.StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("mail", "poll", stdout=out)

    assert exit_.value.code == 1
    assert out.getvalue().splitlines() == [
        "redes: fetched 0, new 0, errors 0; "
        "sign-in refused for redes@mail.test: [AUTHENTICATIONFAILED] Authentication failed.",
        "soporte: fetched 1, new 1, errors 0",
    ]


def test_the_poll_command_can_poll_one_mailbox(world, dovecot):
    make_mailbox(dovecot, world.soporte)
    make_mailbox(dovecot, world.redes, name="redes", user="redes@mail.test", password="mala")
    out = io.StringIO()

    call_command("mail", "poll", "--mailbox", "soporte", stdout=out)

    assert out.getvalue().strip() == "soporte: fetched 0, new 0, errors 0"
    assert Mailbox.objects.get(name="redes").last_polled_at is None


# --- the SMTP sink other mail tests use ---


def test_the_smtp_sink_collects_what_is_sent_to_it(smtp_sink):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "soporte@atiende.test", "ana@acme.test", "Hola"
    message.set_content("Recibimos su solicitud.")

    with smtplib.SMTP("127.0.0.1", smtp_sink.port, timeout=5) as client:
        client.send_message(message)

    [received] = smtp_sink.wait_for(1, timeout=5)
    assert received["Subject"] == "Hola"
    assert received.get_content().strip() == "Recibimos su solicitud."
    assert smtp_sink.envelopes == [("soporte@atiende.test", ["ana@acme.test"])]
