"""The webhook address: Meta's handshake, and only signed bodies of this number get in."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from atiende.tickets.models import Message, Ticket
from atiende.whatsapp import samples, signatures
from atiende.whatsapp.models import DeliveryStatus, InboundMessage, WebhookDelivery, WhatsAppNumber
from tests.whatsapp.conftest import ANA_PHONE, Meta

pytestmark = pytest.mark.django_db


def handshake(client: Client, number: WhatsAppNumber, **params: str) -> object:
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": "verify-me",
        "hub.challenge": "1158201444",
        **params,
    }
    return client.get(reverse("whatsapp:webhook", args=[number.pk]), query)


def test_it_answers_metas_handshake_with_the_challenge(client: Client, number: WhatsAppNumber) -> None:
    response = handshake(client, number)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.content == b"1158201444"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "params",
    [
        {"hub.verify_token": "guess"},
        {"hub.verify_token": ""},
        {"hub.mode": "unsubscribe"},
        {"hub.challenge": "<script>alert(1)</script>"},
    ],
)
def test_it_refuses_a_handshake_without_the_verify_token(
    client: Client, number: WhatsAppNumber, params: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="atiende.whatsapp"):
        response = handshake(client, number, **params)
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert "handshake failed" in caplog.text


def test_a_signed_message_is_stored_and_becomes_a_ticket(meta: Meta, number: WhatsAppNumber) -> None:
    raw = samples.body(
        number.phone_number_id, messages=[samples.text(ANA_PHONE, "No tengo internet en el piso 3")]
    )
    response = meta.post(raw)
    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert bytes(delivery.raw) == raw
    assert delivery.status == DeliveryStatus.PROCESSED
    ticket = Ticket.objects.get()
    assert ticket.channel == "whatsapp"
    assert ticket.subject == "No tengo internet en el piso 3"
    assert ticket.requester.user.email == "ana@acme.test"


@pytest.mark.parametrize(
    "signature",
    ["", "sha256=", "sha256=" + "0" * 64, "sha1=abc", signatures.sign(b"{}", "test-app-secret")],
)
def test_it_refuses_unsigned_and_forged_bodies(
    meta: Meta, number: WhatsAppNumber, signature: str, caplog: pytest.LogCaptureFixture
) -> None:
    raw = samples.body(number.phone_number_id, messages=[samples.text(ANA_PHONE, "forged")])
    with caplog.at_level(logging.WARNING, logger="atiende.whatsapp"):
        response = meta.post(raw, HTTP_X_HUB_SIGNATURE_256=signature)
    assert response.status_code == 401
    assert "wrong signature" in caplog.text
    assert not WebhookDelivery.objects.exists()
    assert not Ticket.objects.exists()


def test_a_body_signed_with_another_secret_is_refused(meta: Meta, number: WhatsAppNumber) -> None:
    raw = samples.body(number.phone_number_id, messages=[samples.text(ANA_PHONE, "forged")])
    assert meta.post(raw, secret="another-apps-secret").status_code == 401
    assert not WebhookDelivery.objects.exists()


def test_an_oversized_body_is_refused_before_it_is_read(
    meta: Meta, number: WhatsAppNumber, settings: SettingsWrapper, caplog: pytest.LogCaptureFixture
) -> None:
    settings.ATIENDE_WHATSAPP_MAX_BODY_BYTES = 2000
    raw = samples.body(number.phone_number_id, messages=[samples.text(ANA_PHONE, "x" * 3000)])
    with caplog.at_level(logging.WARNING, logger="atiende.whatsapp"):
        response = meta.post(raw)
    assert response.status_code == 413
    assert "over the limit" in caplog.text
    assert not WebhookDelivery.objects.exists()


def test_a_replayed_body_is_stored_and_filed_once(meta: Meta, number: WhatsAppNumber) -> None:
    raw = samples.body(number.phone_number_id, messages=[samples.text(ANA_PHONE, "Hola")])
    for _ in range(3):
        assert meta.post(raw).status_code == 200
    assert WebhookDelivery.objects.count() == 1
    assert Message.objects.count() == 1


def test_the_same_message_in_another_body_is_filed_once(meta: Meta, number: WhatsAppNumber) -> None:
    message = samples.text(ANA_PHONE, "Hola")
    meta.post(samples.body(number.phone_number_id, messages=[message]))
    meta.post(samples.body(number.phone_number_id, messages=[message], profile_name="Otra"))
    assert WebhookDelivery.objects.count() == 2
    assert InboundMessage.objects.count() == 1
    assert Message.objects.count() == 1


def test_a_body_for_another_number_is_quarantined(meta: Meta, number: WhatsAppNumber) -> None:
    raw = samples.body("999999999", messages=[samples.text(ANA_PHONE, "Hola")])
    assert meta.post(raw).status_code == 200  # signed by our app: kept, not believed
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.QUARANTINED
    assert "another number" in delivery.outcome
    assert not Ticket.objects.exists()


def test_an_unknown_or_inactive_number_is_not_found(meta: Meta, number: WhatsAppNumber) -> None:
    raw = samples.body(number.phone_number_id, messages=[samples.text(ANA_PHONE, "Hola")])
    url = reverse("whatsapp:webhook", args=[number.pk + 100])
    signature = signatures.sign(raw, "test-app-secret")
    assert (
        meta.client.post(
            url, raw, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signature
        ).status_code
        == 404
    )
    number.is_active = False
    number.save()
    assert meta.post(raw).status_code == 404
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize("raw", [b"not json", b"{}", b'{"object": "page", "entry": []}', b"\xff\xfe"])
def test_a_signed_body_that_is_not_a_whatsapp_webhook_is_quarantined(
    meta: Meta, number: WhatsAppNumber, raw: bytes
) -> None:
    assert meta.post(raw).status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.QUARANTINED
    assert delivery.error


def test_other_methods_are_not_allowed(client: Client, number: WhatsAppNumber) -> None:
    response = client.put(reverse("whatsapp:webhook", args=[number.pk]), b"{}")
    assert response.status_code == 405
