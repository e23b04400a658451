"""The demo's WhatsApp number: configured with demo secrets, so `atiende whatsapp send-test`
works at once; one conversation already on a ticket and one unknown number waiting in
*Sin identificar*. Nothing here talks to Meta."""

from __future__ import annotations

from atiende.accounts.models import Contact
from atiende.tickets.models import Queue
from atiende.whatsapp import inbound, samples
from atiende.whatsapp.models import MessageTemplate, OutboundMessage, TemplateUse, WhatsAppNumber

APP_SECRET = "demo-app-secret"  # noqa: S105 (the demo's, printed in the docs)
UNKNOWN_SENDER = "+573005550199"
# As they would be approved in Meta's WhatsApp Manager: two for replies (the engineer
# chooses outside the 24-hour window), one per stage notice, Spanish and English.
TEMPLATES = [
    (
        TemplateUse.NEW_REPLY,
        "nueva_respuesta",
        "es",
        "Hay una nueva respuesta en su ticket #{{1}}. Véala y conteste aquí: {{2}}",
        ["number", "link"],
    ),
    (
        TemplateUse.NEW_REPLY,
        "respuesta_con_texto",
        "es",
        "Hola {{1}}, sobre su ticket #{{2}}: {{3}}",
        ["name", "number", "text"],
    ),
    (
        TemplateUse.NEW_REPLY,
        "new_reply",
        "en_US",
        "There is a new reply on your ticket #{{1}}: {{2}}",
        ["number", "link"],
    ),
    (
        TemplateUse.RECEIVED,
        "ticket_recibido",
        "es",
        "Recibimos su ticket #{{1}}. Sígalo aquí: {{2}}",
        ["number", "link"],
    ),
    (
        TemplateUse.WAITING,
        "ticket_espera_respuesta",
        "es",
        "Su ticket #{{1}} espera su respuesta para continuar: {{2}}",
        ["number", "link"],
    ),
    (
        TemplateUse.RESOLVED,
        "ticket_resuelto",
        "es",
        "Su ticket #{{1}} fue resuelto. Si algo falta, escríbanos aquí.",
        ["number"],
    ),
    (
        TemplateUse.REOPENED,
        "ticket_reabierto",
        "es",
        "Su ticket #{{1}} fue reabierto: seguimos trabajando en él.",
        ["number"],
    ),
    (
        TemplateUse.CLOSED,
        "ticket_cerrado",
        "es",
        "Su ticket #{{1}} fue cerrado. Para retomarlo, abra uno nuevo citando este número.",
        ["number"],
    ),
]


def create_whatsapp(queue: Queue, contact: Contact) -> WhatsAppNumber:
    number = WhatsAppNumber.objects.create(
        name="Soporte por WhatsApp",
        display_phone="+57 601 555 0100",
        phone_number_id="100000000000001",
        business_account_id="200000000000001",
        access_token="demo-access-token",  # noqa: S106
        app_secret=APP_SECRET,
        verify_token="demo-verify-token",  # noqa: S106
        queue=queue,
    )
    for use, name, language, body, parameters in TEMPLATES:
        MessageTemplate.objects.create(
            number=number, use=use, name=name, language=language, body=body, parameters=parameters
        )
    _receive(
        number,
        contact.phone,
        "Hola, la impresora de recepción dice «atasco de papel» pero no tiene papel atascado.",
    )
    _receive(
        number, UNKNOWN_SENDER, "Buenas tardes, soy Marta de contabilidad. No me llega el correo desde ayer."
    )
    # The demo's token is not Meta's: the received confirmation the conversation queued is
    # dropped rather than sent to Meta while the demo loads.
    OutboundMessage.objects.filter(number=number, message=None).delete()
    return number


def _receive(number: WhatsAppNumber, sender: str, text: str) -> None:
    raw = samples.body(number.phone_number_id, messages=[samples.text(sender, text)], profile_name="Demo")
    delivery, _new = inbound.store(number, raw)
    inbound.process(delivery)
