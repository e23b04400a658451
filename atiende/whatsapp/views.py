"""The webhook Meta calls for one number: `/whatsapp/<id>/webhook/`.

GET is Meta's verification handshake. POST is believed only with a valid
`X-Hub-Signature-256` over the raw body; the body is then stored before anything else and
processed after the response (a task). Every refusal is logged with its reason. Meta
retries anything but a 2xx for days, so a body we stored is always answered 200, and
refusals that retrying cannot fix are 4xx.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from atiende.whatsapp import inbound, signatures
from atiende.whatsapp.models import WhatsAppNumber

logger = logging.getLogger("atiende.whatsapp")


@csrf_exempt  # Meta posts here; the signature is the proof, not a session
def webhook(request: HttpRequest, number_id: int) -> HttpResponse:
    number = WhatsAppNumber.objects.filter(pk=number_id, is_active=True).first()
    if number is None:
        logger.warning("whatsapp.refused number=%s reason=unknown or inactive number", number_id)
        return HttpResponse(status=404)
    if request.method == "GET":
        return _handshake(request, number)
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    body = _body(request)
    if body is None:
        logger.warning("whatsapp.refused number=%s reason=body over the limit", number.pk)
        return HttpResponse(status=413)
    if not signatures.is_valid(body, request.headers.get("X-Hub-Signature-256", ""), number.app_secret):
        logger.warning("whatsapp.refused number=%s reason=missing or wrong signature", number.pk)
        return HttpResponse(status=401)
    delivery, new = inbound.store(number, body)
    if new:
        transaction.on_commit(lambda: _process_later(delivery.pk))
    return HttpResponse("ok", content_type="text/plain")


def _handshake(request: HttpRequest, number: WhatsAppNumber) -> HttpResponse:
    """Meta proves it knows the verify token; we answer with its challenge."""
    mode = request.GET.get("hub.mode", "")
    token = request.GET.get("hub.verify_token", "")
    challenge = request.GET.get("hub.challenge", "")
    verified = (
        mode == "subscribe" and bool(number.verify_token) and signatures.same(token, number.verify_token)
    )
    if verified and challenge.isascii() and challenge.isalnum() and len(challenge) <= 100:
        return HttpResponse(challenge, content_type="text/plain")
    logger.warning("whatsapp.refused number=%s reason=verification handshake failed", number.pk)
    return HttpResponse(status=403)


def _process_later(delivery_id: int) -> None:
    from atiende.whatsapp.tasks import process

    try:
        process.delay(delivery_id)
    except Exception:  # stored: the periodic job processes it
        logger.exception(
            "whatsapp.dispatch_failed delivery=%s; the periodic job will process it", delivery_id
        )


def _body(request: HttpRequest) -> bytes | None:
    """The body, or None when it is over the limit (read no further than the limit)."""
    limit = settings.ATIENDE_WHATSAPP_MAX_BODY_BYTES
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    body = request.read(limit + 1)
    return body if len(body) <= limit else None
