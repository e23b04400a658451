"""Who wrote: the contact whose WhatsApp field, or whose phone, is the sender's number."""

from __future__ import annotations

from django.db.models import Q

from atiende.accounts.models import Contact
from atiende.accounts.phones import national_digits, to_e164


def e164_of(sender: str) -> str:
    """Meta's `from` (digits with the country code) as E.164."""
    return to_e164("+" + sender) or "+" + sender


def contact_for(phone: str) -> Contact | None:
    """The active contact with this number: their WhatsApp field first, then their phone
    (typed with or without the country code). Two contacts sharing a phone prove nothing
    about which one wrote: then nobody is chosen, and an agent decides."""
    by_whatsapp = list(
        Contact.objects.filter(whatsapp=phone, user__is_active=True).select_related("user")[:2]
    )
    if len(by_whatsapp) == 1:
        return by_whatsapp[0]
    if by_whatsapp:
        return None
    digits = {phone.lstrip("+"), national_digits(phone)} - {""}
    candidates = Contact.objects.filter(
        Q(phone_digits__in=digits), Q(whatsapp="") | Q(whatsapp=phone), user__is_active=True
    ).select_related("user")
    matching = [contact for contact in candidates[:10] if to_e164(contact.phone) == phone]
    return matching[0] if len(matching) == 1 else None
