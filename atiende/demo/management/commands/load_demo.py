"""`atiende load_demo`: fill an empty installation with the demo (companies, people and
about forty tickets) and print the accounts to sign in with. Running it again changes
nothing."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from atiende.demo.loader import load_demo, signins_text


class Command(BaseCommand):
    help = "Load the demo data (only with ATIENDE_DEMO=true) and list the demo sign-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            # The demo accounts have a published password, administrator included.
            raise CommandError("Los datos de demostración solo se cargan con ATIENDE_DEMO=true.")
        # Each demo action writes an audit line when the transaction commits; a few hundred
        # of them for made-up tickets would only bury the sign-ins printed below.
        audit = logging.getLogger("atiende.tickets")
        level = audit.level
        audit.setLevel(logging.WARNING)
        try:
            summary = load_demo()
        finally:
            audit.setLevel(level)
        if summary is None:
            self.stdout.write("Los datos de demostración ya estaban cargados; no se cambió nada.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Datos de demostración cargados: {summary.companies} empresas, "
                    f"{summary.contacts} contactos, {summary.agents} personas del equipo de "
                    f"soporte y {summary.tickets} tickets."
                )
            )
            self.stdout.write(
                f"Token de API del administrador (se muestra solo esta vez): {summary.api_token}\n"
                f"Pruébelo: curl -H 'Authorization: Bearer {summary.api_token}' "
                f"{settings.ATIENDE_BASE_URL}/api/v1/me/ — documentación en {settings.ATIENDE_BASE_URL}/api/docs/; "
                "se revoca en el escritorio, «Tokens de API»."
            )
        self.stdout.write("")
        self.stdout.write(signins_text(settings.ATIENDE_BASE_URL))
