"""`atiende whatsapp send-test +573001234567 "texto"`: post a correctly signed webhook, as
Meta would, to this installation's endpoint for a configured number."""

from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from atiende.accounts.phones import to_e164
from atiende.whatsapp import samples, signatures
from atiende.whatsapp.models import WhatsAppNumber


class Command(BaseCommand):
    help = "WhatsApp tools: send-test posts a signed test message to the local webhook."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        send = commands.add_parser("send-test", help="post a signed text message from a phone number")
        send.add_argument("phone", help="the sender, e.g. +573001234567")
        send.add_argument("text", help="what the message says")
        send.add_argument("--number", help="the WhatsApp number's name (default: the first active one)")
        send.add_argument("--name", default="", help="the sender's WhatsApp profile name")
        send.add_argument(
            "--url",
            default=settings.ATIENDE_BASE_URL,
            help="where this installation answers (default: ATIENDE_BASE_URL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        phone = to_e164(options["phone"])
        if phone is None:
            raise CommandError(f"Not a phone number: {options['phone']!r} (write it as +57…).")
        numbers = WhatsAppNumber.objects.filter(is_active=True)
        number = numbers.filter(name=options["number"]).first() if options["number"] else numbers.first()
        if number is None:
            raise CommandError("No active WhatsApp number is configured (admin: WhatsApp numbers).")
        raw = samples.body(
            number.phone_number_id,
            messages=[samples.text(phone, options["text"])],
            profile_name=options["name"],
        )
        url = options["url"].rstrip("/") + reverse("whatsapp:webhook", args=[number.pk])
        try:
            response = httpx.post(
                url,
                content=raw,
                headers={
                    "Content-Type": "application/json",
                    "X-Hub-Signature-256": signatures.sign(raw, number.app_secret),
                },
                timeout=30,
            )
        except httpx.HTTPError as error:
            raise CommandError(f"{url} did not answer: {error}") from error
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}: {response.text[:200]}")
        self.stdout.write(f"Sent to {number} from {phone}: {url} answered {response.status_code}.")
