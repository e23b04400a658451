import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from atiende.outbox.models import EmailStatus, OutboundEmail
from atiende.outbox.outbox import MAX_ATTEMPTS, deliver_due, render_queued
from atiende.tickets import actions, notify
from atiende.tickets.models import Channel
from tests.factories import LocationFactory, make_agent, open_ticket


def test_opening_a_ticket_queues_the_confirmation_and_sends_it_after_commit(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(world.luis, world.soporte, subject="Sin internet")

    email = OutboundEmail.objects.get(kind="ticket_opened")
    assert (email.kind, email.to, email.ticket_number, email.status) == (
        "ticket_opened",
        ["luis@acme.test"],
        ticket.number,
        EmailStatus.SENT,
    )
    assert email.subject == f"[#{ticket.number}] Sin internet"
    (sent,) = [each for each in mail.outbox if each.to == ["luis@acme.test"]]
    assert sent.extra_headers["Message-ID"] == email.message_id
    assert f"/portal/tickets/{ticket.number}/" in sent.body
    assert "Hola Luis" in sent.body


def test_the_confirmation_speaks_the_requesters_language(world, django_capture_on_commit_callbacks):
    world.luis.user.language = "en"
    world.luis.user.save()

    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte, subject="No internet")

    (sent,) = [each for each in mail.outbox if each.to == ["luis@acme.test"]]
    assert "We received your request and registered it as ticket" in sent.body
    assert sent.subject.endswith("] No internet")


def test_a_phone_ticket_confirmation_says_who_registered_it(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.carla, world.redes, actor=world.otro.user, channel=Channel.PHONE)

    assert "Otro Redes registró su solicitud (Teléfono)" in mail.outbox[0].body


def test_contacts_who_want_no_email_get_none(world):
    world.luis.notifications = "none"
    world.luis.save()

    open_ticket(world.luis, world.soporte)

    assert not OutboundEmail.objects.filter(to=["luis@acme.test"]).exists()


def test_a_rolled_back_change_queues_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        open_ticket(world.luis, world.soporte)
        raise RuntimeError

    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_the_assigned_engineer_is_told_when_the_requester_modifies(world, django_capture_on_commit_callbacks):
    ticket = open_ticket(world.luis, world.soporte)
    actions.take_ticket(world.agente.user, ticket)
    site = LocationFactory.create(organization=world.acme, name="Bodega")

    with django_capture_on_commit_callbacks(execute=True):
        actions.change_ticket(world.luis.user, ticket, location=site)

    email = OutboundEmail.objects.get(kind="ticket_changed_by_requester")
    assert email.to == ["agente@atiende.test"]
    assert "localización" in email.body_text


def test_a_failed_send_is_kept_and_retried_later(world, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        open_ticket(world.luis, world.soporte)

    email = OutboundEmail.objects.get(kind="ticket_opened")
    message_id = email.message_id
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at > timezone.now()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_due() == 0  # not due yet
    OutboundEmail.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    assert deliver_due() == 2  # the requester's confirmation and the queue agent's notice
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 2, "")
    (sent,) = [each for each in mail.outbox if each.to == ["luis@acme.test"]]
    assert sent.message()["Message-ID"] == message_id == email.message_id


def test_after_the_last_attempt_an_email_is_marked_failed(world, settings):
    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.BrokenBackend"
    open_ticket(world.luis, world.soporte)
    for _ in range(MAX_ATTEMPTS):
        OutboundEmail.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
        deliver_due()

    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {
        (EmailStatus.FAILED, MAX_ATTEMPTS)
    }


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")


def test_a_queue_notice_reaches_each_engineer_in_their_language_once(world):
    world.agente.user.language = "en"
    world.agente.user.save()
    second = make_agent("segundo@atiende.test", world.soporte, full_name="Segundo Soporte")
    third = make_agent("tercero@atiende.test", world.soporte, full_name="Tercero Soporte", language="es")

    ticket = open_ticket(world.luis, world.soporte, subject="Impresora atascada")
    notices = {
        email.to[0]: email
        for email in OutboundEmail.objects.filter(kind="agent_new_ticket", ticket_number=ticket.number)
    }

    assert set(notices) == {"agente@atiende.test", second.user.email, third.user.email}
    for email in notices.values():
        render_queued(email)  # what the worker that sends it does
    assert "New ticket" in notices["agente@atiende.test"].body_text
    assert "Nuevo ticket" in notices[third.user.email].body_text
    assert len({email.message_id for email in notices.values()}) == 3
    assert all(email.headers["Reply-To"] for email in notices.values())

    notify.new_ticket_for_queue(ticket)  # the same event again: nobody hears twice
    assert OutboundEmail.objects.filter(kind="agent_new_ticket", ticket_number=ticket.number).count() == 3


def test_a_customer_reply_to_a_ticket_the_engineer_was_written_about_starts_with_re(world):
    ticket = open_ticket(world.luis, world.soporte, subject="Impresora atascada")
    newcomer = make_agent("nuevo@atiende.test", full_name="Nuevo Soporte")
    message = actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Sigue sin imprimir")
    world.soporte.agents.add(newcomer)
    actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Y tampoco escanea")

    first = OutboundEmail.objects.get(dedupe_key=f"customer-reply:{message.pk}:{world.agente.pk}")
    later = list(OutboundEmail.objects.filter(kind="agent_customer_replied").order_by("-pk"))
    for email in [first, *later]:
        render_queued(email)  # what the worker that sends it does
    assert first.subject.startswith("Re: ")  # the new-ticket notice went to them before
    assert {email.to[0]: email.subject.startswith("Re: ") for email in later[:2]} == {
        "agente@atiende.test": True,
        "nuevo@atiende.test": False,  # never written to about this ticket
    }


@pytest.mark.parametrize("address", ["tel-1@sin-correo.invalid", "alerts-1@integrations.INVALID"])
def test_nothing_is_ever_queued_for_an_address_in_the_reserved_invalid_domain(world, address):
    from atiende.outbox.outbox import Recipient, enqueue

    queued = enqueue("password_reset", Recipient(address, "es"), {"user": world.luis.user, "link": "x"})

    assert queued is None
    assert not OutboundEmail.objects.exists()


def test_the_notices_of_a_new_ticket_are_queued_unrendered_and_rendered_when_sent(
    world, django_capture_on_commit_callbacks
):
    ticket = open_ticket(world.luis, world.soporte, subject="Sin internet")
    queued = list(OutboundEmail.objects.filter(ticket_number=ticket.number).order_by("pk"))
    assert [email.kind for email in queued] == ["ticket_opened", "agent_new_ticket"]
    assert all(email.render and not email.body_text for email in queued)
    # The ticket changes before the worker gets to it: the notice says what it is then.
    actions.change_ticket(world.agente.user, ticket, subject="Sin internet en la sede")

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        transaction.on_commit(lambda: deliver_due())

    confirmation = OutboundEmail.objects.get(kind="ticket_opened")
    assert (confirmation.status, confirmation.render) == (EmailStatus.SENT, {})
    assert confirmation.subject == f"[#{ticket.number}] Sin internet en la sede"
    assert "Hola Luis" in confirmation.body_text
    (sent,) = [each for each in mail.outbox if each.to == ["luis@acme.test"]]
    assert (sent.subject, sent.body) == (confirmation.subject, confirmation.body_text)


def test_a_notice_whose_ticket_is_gone_is_kept_for_a_retry(world):
    ticket = open_ticket(world.luis, world.soporte)
    email = OutboundEmail.objects.get(kind="ticket_opened")
    email.render["context"]["ticket"]["pk"] = ticket.pk + 1000
    email.save()

    assert deliver_due() == 1  # the engineer's notice; the confirmation waits
    email.refresh_from_db()
    assert (email.status, email.attempts, email.render != {}) == (EmailStatus.PENDING, 1, True)
    assert "DoesNotExist" in email.last_error
