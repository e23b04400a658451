"""`atiende mail ingest [--queue SLUG] [--json] < message.eml`, for Postfix or Exim pipes.

Exit 0 when the message is stored (whatever became of it), 75 (temporary failure, the
MTA retries) when it could not be stored. One line says the outcome."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from atiende.mail.inbound import process, store

TEMPORARY_FAILURE = 75


class Command(BaseCommand):
    help = "Mail channel tools. 'ingest' reads one message from standard input."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        ingest = sub.add_parser("ingest", help="Store and process one message read from standard input.")
        ingest.add_argument("--queue", help="Slug of the queue for new tickets (default: by recipient).")
        ingest.add_argument("--json", action="store_true", help="Print the outcome as one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = sys.stdin.buffer.read()
        try:
            inbound, _created = store(raw, source="pipe")
        except Exception as error:  # the database is unreachable: let the MTA retry
            self.stderr.write(f"not stored: {type(error).__name__}: {error}")
            sys.exit(TEMPORARY_FAILURE)
        outcome = process(inbound, queue_slug=options.get("queue"))
        if options.get("json"):
            self.stdout.write(
                json.dumps(
                    {
                        "status": outcome.status,
                        "outcome": outcome.text,
                        "ticket": outcome.ticket_number,
                        "subject": outcome.subject,
                        "requester": outcome.requester,
                        "priority": outcome.priority,
                        "attachments": outcome.attachments,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            self.stdout.write(outcome.text)
