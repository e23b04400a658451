import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from atiende.jobs.runner import run_forever, run_job, runnable_jobs


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (mailbox polling, SLA sweep, outbox retries) in this process, "
        "for installations without a Celery broker. With a broker, run `celery -A atiende beat`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run each job once and stop.")

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        # One line per run would drown the demo console; failures are still logged.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        jobs = runnable_jobs()
        if once:
            for name in jobs:
                ok = run_job(name)
                self.stdout.write(f"{name}: {'ok' if ok else 'failed'}")
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(
            "Periodic jobs: " + ", ".join(f"{name} every {seconds} s" for name, seconds in jobs.items())
        )
        self.stdout.flush()
        run_forever(jobs, stop)
