"""The demo's WhatsApp number: configured with demo secrets, so `atiende whatsapp send-test`
works at once; one conversation already on a ticket and one unknown number waiting in
*Sin identificar*. Nothing here talks to Meta."""

from __future__ import annotations

from atiende.accounts.models import Contact
from atiende.tickets.models import Queue
from atiende.whatsapp import inbound, samples
from atiende.whatsapp.models import MessageTemplate, TemplateUse, WhatsAppNumber

APP_SECRET = "demo-app-secret"  # noqa: S105 (the demo's, printed in the docs)
UNKNOWN_SENDER = "+573005550199"


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
    MessageTemplate.objects.create(
        number=number,
        use=TemplateUse.NEW_REPLY,
        name="nueva_respuesta",
        language="es",
        parameters=["number", "link"],
    )
    MessageTemplate.objects.create(
        number=number, use=TemplateUse.RESOLVED, name="ticket_resuelto", language="es", parameters=["number"]
    )
    _receive(
        number,
        contact.phone,
        "Hola, la impresora de recepción dice «atasco de papel» pero no tiene papel atascado.",
    )
    _receive(
        number, UNKNOWN_SENDER, "Buenas tardes, soy Marta de contabilidad. No me llega el correo desde ayer."
    )
    return number


def _receive(number: WhatsAppNumber, sender: str, text: str) -> None:
    raw = samples.body(number.phone_number_id, messages=[samples.text(sender, text)], profile_name="Demo")
    delivery, _new = inbound.store(number, raw)
    inbound.process(delivery)
