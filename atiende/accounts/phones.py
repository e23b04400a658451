"""Phone numbers as WhatsApp knows them: E.164 (+573001234567), whatever way they were typed."""

from __future__ import annotations

import phonenumbers
from django.conf import settings


def to_e164(text: str, region: str | None = None) -> str | None:
    """The number in E.164, or None when it is not a possible number. Numbers typed without
    a country code are read in the installation's region (`ATIENDE_PHONE_REGION`)."""
    text = (text or "").strip()
    if not text or len(text) > 40:
        return None
    try:
        number = phonenumbers.parse(text, region or settings.ATIENDE_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_digits(e164: str) -> str:
    """The national significant number (3001234567 for +573001234567): how a phone is often
    typed without its country code."""
    try:
        return str(phonenumbers.parse(e164, None).national_number)
    except phonenumbers.NumberParseException:
        return ""
