"""The mail channel's commands.

`atiende mail ingest [--queue SLUG] [--json] < message.eml`, for Postfix or Exim pipes:
exit 0 when the message is stored (whatever became of it), 75 (temporary failure, the
MTA retries) when it could not be stored. One line says the outcome.

`atiende mail poll [--mailbox NAME]`: poll the active IMAP mailboxes (or the one named), one
line per mailbox with what was fetched, what was new and what failed; exit 1 if any failed.

`atiende mail process [--limit N]`: process stored messages never processed (after a crash).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from atiende.mail.imap import poll_mailboxes
from atiende.mail.inbound import process, process_pending, store
from atiende.mail.models import Mailbox

TEMPORARY_FAILURE = 75


class Command(BaseCommand):
    help = (
        "Mail channel tools. 'ingest' reads one message from standard input; "
        "'poll' fetches new mail from the IMAP mailboxes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        ingest = sub.add_parser("ingest", help="Store and process one message read from standard input.")
        ingest.add_argument("--queue", help="Slug of the queue for new tickets (default: by recipient).")
        ingest.add_argument("--json", action="store_true", help="Print the outcome as one JSON object.")
        poll = sub.add_parser("poll", help="Fetch unseen mail from the active IMAP mailboxes.")
        poll.add_argument("--mailbox", help="Name of the one mailbox to poll (default: every active one).")
        pending = sub.add_parser("process", help="Process stored messages that were never processed.")
        pending.add_argument("--limit", type=int, default=10_000, help="At most this many (default 10000).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "poll":
            self.poll(options.get("mailbox"))
        elif options["verb"] == "process":
            self.stdout.write(f"processed {process_pending(options['limit'])}")
        else:
            self.ingest(options)

    def poll(self, name: str | None) -> None:
        mailboxes = Mailbox.objects.filter(is_active=True).select_related("queue")
        if name is not None:
            mailboxes = mailboxes.filter(name=name)
            if not mailboxes.exists():
                raise CommandError(f"no active mailbox is named {name!r}")
        results = poll_mailboxes(mailboxes)
        for result in results:
            self.stdout.write(result.summary())
        if not all(result.ok for result in results):
            sys.exit(1)

    def ingest(self, options: dict[str, Any]) -> None:
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
