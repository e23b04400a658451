"""Admins see what failed and why, and can send failed or waiting mail again now."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from atiende.outbox.models import EmailStatus, OutboundEmail
from tests.factories import open_ticket

CHANGELIST = reverse("admin:outbox_outboundemail_changelist")


def failed_confirmation(world, settings) -> OutboundEmail:
    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.BrokenBackend"
    open_ticket(world.luis, world.soporte)
    email = OutboundEmail.objects.get(kind="ticket_opened")
    email.status = EmailStatus.FAILED
    email.attempts = 8
    email.last_error = "550 5.7.1 Message rejected as spam"
    email.save()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return email


def test_the_list_shows_status_attempts_and_the_servers_answer(world, settings, admin_client):
    failed_confirmation(world, settings)

    page = admin_client.get(CHANGELIST, {"status__exact": "failed"})

    assert page.status_code == 200
    text = page.content.decode()
    assert "550 5.7.1 Message rejected as spam" in text
    assert "luis@acme.test" in text
    assert "agente@atiende.test" not in text  # the agent's notice is pending, filtered out
    assert "send_again_now" in text
    found = admin_client.get(CHANGELIST, {"q": "luis@acme"}).content.decode()
    assert "luis@acme.test" in found and "agente@atiende.test" not in found


def test_an_email_is_read_only(world, settings, admin_client):
    email = failed_confirmation(world, settings)

    page = admin_client.get(reverse("admin:outbox_outboundemail_change", args=[email.pk]))
    admin_client.post(reverse("admin:outbox_outboundemail_change", args=[email.pk]), {"status": "sent"})

    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED


def test_send_again_now_delivers_failed_mail_with_the_same_message_id(world, settings, admin_client):
    email = failed_confirmation(world, settings)
    sent_before = OutboundEmail.objects.create(
        kind="test", message_id="<sent@atiende.test>", to=["x@acme.test"], subject="s", body_text="b"
    )
    sent_before.status = EmailStatus.SENT
    sent_before.save()

    page = admin_client.post(
        CHANGELIST,
        {"action": "send_again_now", "_selected_action": [email.pk, sent_before.pk]},
        follow=True,
    )

    assert page.status_code == 200
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 9, "")
    (delivered,) = mail.outbox
    assert delivered.extra_headers["Message-ID"] == email.message_id
    # One sent; one had already been sent and was left alone.
    assert [m.level for m in page.context["messages"]] == [messages.SUCCESS, messages.WARNING]


def test_a_staff_member_without_the_permission_cannot_send_again(world, settings, client):
    email = failed_confirmation(world, settings)
    world.admin.user.user_permissions.add(Permission.objects.get(codename="view_outboundemail"))
    client.force_login(world.admin.user)

    page = client.get(CHANGELIST)
    client.post(CHANGELIST, {"action": "send_again_now", "_selected_action": [email.pk]})

    assert page.status_code == 200
    assert "send_again_now" not in page.content.decode()
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert mail.outbox == []
