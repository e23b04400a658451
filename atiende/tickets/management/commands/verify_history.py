"""`atiende verify-history [--ticket N] [--receipt FILE]`: check the tamper-evident chain
of every ticket (or one), or whether the system still holds what a contact's receipt says.
Exit 1 on any break, naming the ticket, the event and what no longer matches (a message's
text, author or files, a field, the chain itself); for a receipt, the part that differs."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from atiende.tickets import ledger, receipts
from atiende.tickets.models import Ticket


class Command(BaseCommand):
    help = "Verify the hash-chained history of the tickets, or a ticket receipt."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ticket", type=int, help="Only this ticket number.")
        parser.add_argument("--receipt", type=Path, help="A receipt (.json) downloaded from the portal.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["receipt"]:
            try:
                data = json.loads(options["receipt"].read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"cannot read the receipt: {error}") from error
            data = data if isinstance(data, dict) else {}
            problems = receipts.check_receipt(data)
            if problems:
                self.stdout.write(f"receipt does NOT match ticket #{data.get('ticket')}:")
                for problem in problems:
                    self.stdout.write(f"  {problem}")
                sys.exit(1)
            self.stdout.write(f"receipt matches ticket #{data['ticket']}")
            for change in receipts.changes_since_receipt(data):
                self.stdout.write(f"  since the receipt, recorded in the history: {change}")
            return
        tickets = Ticket.objects.order_by("number")
        if options["ticket"] is not None:
            tickets = tickets.filter(number=options["ticket"])
            if not tickets.exists():
                raise CommandError(f"there is no ticket #{options['ticket']}")
        checked, breaks = 0, []
        for ticket in tickets.iterator(chunk_size=500):
            checked += 1
            breaks.extend(ledger.verify(ticket))
        for found in breaks:
            self.stdout.write(str(found))
        self.stdout.write(f"{checked} tickets checked, {len(breaks)} breaks")
        if breaks:
            sys.exit(1)
