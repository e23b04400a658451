from typing import Any

from django.core.management.base import BaseCommand

from atiende.outbox.tasks import deliver_due


class Command(BaseCommand):
    help = "Send the queued emails that are due (retries included)."

    def handle(self, *args: Any, **options: Any) -> None:
        # The claimed path: safe while workers send the same emails.
        self.stdout.write(f"{deliver_due()} sent")
