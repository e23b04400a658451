"""What the sent emails say, read from the messages as they left (the mail backend):
the signature once, the stage after the change, the password reset in our own words."""

from __future__ import annotations

import re

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from atiende.tickets import actions
from atiende.tickets.models import Channel, StatusKind
from tests.factories import open_ticket


def sent_to(address: str, subject_part: str = "") -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if m.to == [address] and subject_part in m.subject]


def html_of(message: mail.EmailMessage) -> str:
    alternatives = getattr(message, "alternatives", [])
    return str(alternatives[0][0]) if alternatives else ""


def test_a_reply_that_ends_with_the_engineers_name_is_signed_once(world, django_capture_on_commit_callbacks):
    ticket = open_ticket(world.luis, world.soporte, subject="VPN")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(
            world.agente.user, ticket, channel=Channel.WEB, text="Ya quedó.\n\nSaludos,\nAgente Soporte"
        )

    [reply] = sent_to("luis@acme.test")
    assert str(reply.body).count("Agente Soporte") == 1
    assert html_of(reply).count("Agente Soporte") == 1


def test_a_reply_without_a_signature_gets_the_engineers_name_once(world, django_capture_on_commit_callbacks):
    ticket = open_ticket(world.luis, world.soporte, subject="VPN")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Revisando el túnel.")

    [reply] = sent_to("luis@acme.test")
    assert str(reply.body).count("Agente Soporte") == 1
    assert html_of(reply).count("Agente Soporte") == 1


def test_a_reply_sent_and_set_waiting_names_the_new_stage(world, django_capture_on_commit_callbacks):
    ticket = open_ticket(world.luis, world.soporte, subject="VPN")
    waiting = actions.default_status(StatusKind.PENDING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(
            world.agente.user, ticket, channel=Channel.WEB, text="¿Me confirma?", then_status=waiting
        )

    [reply] = sent_to("luis@acme.test")
    assert f"Etapa: {waiting.portal_name}" in str(reply.body)
    assert waiting.portal_name in html_of(reply)


def test_a_customer_answer_that_reopens_tells_the_engineer_the_stage_it_is_in_now(
    world, django_capture_on_commit_callbacks
):
    ticket = open_ticket(world.luis, world.soporte, subject="VPN")
    waiting = actions.default_status(StatusKind.PENDING)
    in_progress = actions.default_status(StatusKind.OPEN)
    actions.change_ticket(world.agente.user, ticket, status=waiting, assignee=world.agente)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Ya reinicié el equipo.")

    [notice] = sent_to("agente@atiende.test")
    assert f"Etapa: {in_progress}" in str(notice.body)
    assert f"Etapa: {waiting}" not in str(notice.body)


@override_settings(ATIENDE_BASE_URL="https://soporte.proveedor.test", ATIENDE_PROVIDER_NAME="Proveedor TI")
def test_the_password_reset_email_is_ours_and_names_the_provider_and_its_address(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "luis@acme.test"})

    assert response.status_code == 302
    [message] = mail.outbox
    body, html = str(message.body), html_of(message)
    assert message.to == ["luis@acme.test"]
    assert "Proveedor TI" in message.subject
    assert "Proveedor TI" in body
    assert "Proveedor TI" in html
    links = re.findall(r"https?://[^\s\"'<>]+/accounts/password/reset/key/[^\s\"'<>]+", body)
    assert links
    assert all(link.startswith("https://soporte.proveedor.test/") for link in links)
    assert "testserver" not in body + html
    assert "127.0.0.1" not in body + html
    assert "example.com" not in body + html
    assert "max-width:600px" in html  # the layout every other email has
    assert message.extra_headers.get("Auto-Submitted") == "auto-generated"
