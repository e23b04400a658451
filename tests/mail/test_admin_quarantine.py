"""The mail admin: mailboxes (secrets, Poll now) and incoming mail (quarantine, raw download)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from atiende.accounts.models import User
from atiende.mail.inbound import process, store
from atiende.mail.models import InboundEmail, InboundStatus, Mailbox, MailboxSecurity
from atiende.tickets.models import Ticket
from tests.factories import make_contact
from tests.mail.servers import USERS

CHANGELIST = "admin:mail_inboundemail_changelist"


def raw_email(sender: str, message_id: str, subject: str = "No tengo internet") -> bytes:
    return (
        f"From: Alguien <{sender}>\r\nTo: soporte@atiende.test\r\nSubject: {subject}\r\n"
        f"Message-ID: <{message_id}@acme.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Desde esta mañana no hay red en el piso 3.\r\n"
    ).encode()


def arrived(sender: str, message_id: str) -> InboundEmail:
    record, _new = store(raw_email(sender, message_id), source="pipe")
    process(record, queue_slug="soporte")
    record.refresh_from_db()
    return record


def grant(user: User, *codenames: str) -> User:
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="mail", codename__in=codenames)
    )
    user.language = "en"
    user.save()
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached per instance


@pytest.fixture
def mail_admin(world, client):
    """The world's admin (staff, not superuser) with the mail permissions."""
    client.force_login(
        grant(
            world.admin.user,
            "view_inboundemail",
            "change_inboundemail",
            "view_mailbox",
            "change_mailbox",
        )
    )
    return client


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- incoming mail ---


def test_the_list_filters_quarantined_mail(world, mail_admin):
    arrived("desconocido@otra.test", "q1")
    arrived("ana@acme.test", "ok1")

    response = mail_admin.get(reverse(CHANGELIST), {"status__exact": InboundStatus.QUARANTINED})

    assert response.status_code == 200
    assert b"desconocido@otra.test" in response.content
    assert b"ana@acme.test" not in response.content


def test_the_detail_page_shows_headers_outcome_error_and_a_download_link(world, mail_admin):
    record = arrived("desconocido@otra.test", "q2")
    record.error = "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xf1"
    record.save()

    response = mail_admin.get(reverse("admin:mail_inboundemail_change", args=[record.pk]))

    page = response.content.decode()
    assert "From: Alguien &lt;desconocido@otra.test&gt;" in page
    assert "Subject: No tengo internet" in page
    assert "Message-ID: &lt;q2@acme.test&gt;" in page
    assert "quarantined: unknown sender desconocido@otra.test" in page
    assert "UnicodeDecodeError: &#x27;utf-8&#x27; codec can&#x27;t decode byte 0xf1" in page
    assert "Desde esta mañana no hay red en el piso 3." in page
    assert reverse("admin:mail_inboundemail_raw", args=[record.pk]) in page


def test_the_raw_message_downloads_as_an_eml_attachment(world, mail_admin):
    record = arrived("desconocido@otra.test", "q3")

    response = mail_admin.get(reverse("admin:mail_inboundemail_raw", args=[record.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"] == f'attachment; filename="incoming-{record.pk}.eml"'
    assert response.content == raw_email("desconocido@otra.test", "q3")


def test_only_staff_with_the_mail_permission_download_raw_messages(world, client):
    record = arrived("desconocido@otra.test", "q4")
    url = reverse("admin:mail_inboundemail_raw", args=[record.pk])
    staff_without_permission = world.supervisor.user
    staff_without_permission.is_staff = True
    staff_without_permission.save()

    anonymous = client.get(url)
    client.force_login(world.agente.user)  # not staff
    agent = client.get(url)
    client.force_login(staff_without_permission)
    staff = client.get(url)

    assert anonymous.status_code == agent.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))
    assert staff.status_code == 403
    assert b"Desde esta" not in anonymous.content + agent.content + staff.content


def test_retry_processes_a_quarantined_message_once_the_cause_is_fixed(world, mail_admin):
    record = arrived("nuevo@otra.test", "q5")  # no company uses the domain yet
    make_contact("nuevo@otra.test", world.acme, full_name="Nuevo Acme")

    response = mail_admin.post(
        reverse(CHANGELIST), {"action": "retry_selected", "_selected_action": [record.pk]}
    )

    ticket = Ticket.objects.get()
    assert ticket.requester.user.email == "nuevo@otra.test"
    record.refresh_from_db()
    assert (record.status, record.ticket_number) == (InboundStatus.PROCESSED, ticket.number)
    assert texts(response) == [f"<q5@acme.test>: created #{ticket.number}"]


def test_retry_says_when_it_is_still_quarantined_and_leaves_processed_mail_alone(world, mail_admin):
    stuck = arrived("nadie@otra.test", "q6")
    done = arrived("ana@acme.test", "ok2")

    response = mail_admin.post(
        reverse(CHANGELIST), {"action": "retry_selected", "_selected_action": [stuck.pk, done.pk]}
    )

    assert texts(response) == [
        "<q6@acme.test>: quarantined: unknown sender nadie@otra.test: no company uses the domain",
        "1 message was already processed or discarded and was left as it was.",
    ]
    assert Ticket.objects.count() == 1


def test_discard_ignores_quarantined_mail_and_says_what_it_left(world, mail_admin):
    stuck = arrived("nadie@otra.test", "q7")
    done = arrived("ana@acme.test", "ok3")

    response = mail_admin.post(
        reverse(CHANGELIST), {"action": "discard_selected", "_selected_action": [stuck.pk, done.pk]}
    )

    stuck.refresh_from_db()
    done.refresh_from_db()
    assert (stuck.status, stuck.outcome) == (InboundStatus.IGNORED, "discarded by an administrator")
    assert done.status == InboundStatus.PROCESSED
    assert texts(response) == [
        "1 quarantined message discarded; it stays stored.",
        "1 message was not in quarantine and was left as it was.",
    ]
    assert InboundEmail.objects.count() == 2


def test_who_may_only_look_cannot_retry_or_discard(world, client):
    record = arrived("nadie@otra.test", "q8")
    client.force_login(grant(world.admin.user, "view_inboundemail"))

    listing = client.get(reverse(CHANGELIST))
    client.post(reverse(CHANGELIST), {"action": "discard_selected", "_selected_action": [record.pk]})

    assert listing.status_code == 200
    assert b"discard_selected" not in listing.content
    record.refresh_from_db()
    assert record.status == InboundStatus.QUARANTINED


def test_incoming_mail_cannot_be_deleted_from_the_admin(world, mail_admin):
    record = arrived("nadie@otra.test", "q9")
    world.admin.user.user_permissions.add(Permission.objects.get(codename="delete_inboundemail"))

    response = mail_admin.post(reverse("admin:mail_inboundemail_delete", args=[record.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert InboundEmail.objects.filter(pk=record.pk).exists()


# --- mailboxes ---


def make_mailbox(world, **values) -> Mailbox:
    defaults = {
        "name": "soporte",
        "queue": world.soporte,
        "host": "127.0.0.1",
        "port": 993,
        "username": "soporte@mail.test",
        "password": "secreto-guardado",
    }
    return Mailbox.objects.create(**{**defaults, **values})


def mailbox_form(mailbox: Mailbox, **changes: str) -> dict[str, str]:
    fields = ["name", "host", "port", "security", "username", "auth", "folder", "move_to"]
    data = {name: str(getattr(mailbox, name)) for name in fields}
    data |= {"queue": str(mailbox.queue_id), "is_active": "on", "password": ""}
    return data | changes


def test_secrets_are_password_inputs_that_never_show_the_stored_value(world, mail_admin):
    mailbox = make_mailbox(world, last_error="sign-in refused for soporte@mail.test: [AUTHENTICATIONFAILED]")

    response = mail_admin.get(reverse("admin:mail_mailbox_change", args=[mailbox.pk]))

    page = response.content.decode()
    assert 'type="password" name="password"' in page
    assert 'type="password" name="oauth_client_secret"' in page
    assert 'type="password" name="oauth_refresh_token"' in page
    assert "secreto-guardado" not in page
    assert "sign-in refused for soporte@mail.test: [AUTHENTICATIONFAILED]" in page
    assert 'name="last_error"' not in page  # shown, not editable
    assert 'name="last_polled_at"' not in page


def test_saving_without_typing_the_password_keeps_it_and_a_new_one_replaces_it(world, mail_admin):
    mailbox = make_mailbox(world)
    url = reverse("admin:mail_mailbox_change", args=[mailbox.pk])

    kept = mail_admin.post(url, mailbox_form(mailbox, folder="Soporte"))
    mailbox.refresh_from_db()
    assert kept.status_code == 302
    assert (mailbox.folder, mailbox.password) == ("Soporte", "secreto-guardado")

    mail_admin.post(url, mailbox_form(mailbox, password="clave-nueva"))
    mailbox.refresh_from_db()
    assert mailbox.password == "clave-nueva"


def test_oauth_sign_in_asks_for_the_token_endpoint_and_refresh_token(world, mail_admin):
    mailbox = make_mailbox(world)

    response = mail_admin.post(
        reverse("admin:mail_mailbox_change", args=[mailbox.pk]), mailbox_form(mailbox, auth="xoauth2")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "oauth_token_url": ["El inicio de sesión con OAuth 2 necesita este dato."],
        "oauth_refresh_token": ["El inicio de sesión con OAuth 2 necesita este dato."],
    }


@pytest.mark.server
def test_poll_now_reports_each_mailbox(world, mail_admin, dovecot):
    dovecot.deliver(
        "soporte@mail.test", raw_email("ana@acme.test", "p1").replace(b"To: soporte@atiende.test", b"To: x@y")
    )
    common = {"host": "127.0.0.1", "port": dovecot.port, "security": MailboxSecurity.NONE}
    good = make_mailbox(world, password=USERS["soporte@mail.test"], **common)
    bad = make_mailbox(world, name="redes", username="redes@mail.test", password="mala", **common)
    off = make_mailbox(world, name="apagado", is_active=False, **common)

    response = mail_admin.post(
        reverse("admin:mail_mailbox_changelist"),
        {"action": "poll_now", "_selected_action": [good.pk, bad.pk, off.pk]},
    )

    assert texts(response) == [
        "Not polled, inactive: apagado.",
        "redes could not be polled: sign-in refused for redes@mail.test: "
        "[AUTHENTICATIONFAILED] Authentication failed.",
        "soporte: 1 fetched, 1 new.",
    ]
    assert Ticket.objects.get().requester == world.ana
    bad.refresh_from_db()
    assert bad.last_error.startswith("sign-in refused")
