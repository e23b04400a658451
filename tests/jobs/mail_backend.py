"""An email backend for the scale-out test: one file per delivery, named by the worker.

A message with the header `X-Test-Slow` makes the first delivery attempt stop for a long
time after leaving a marker, so the test can kill that worker in the middle of sending.
"""

import os
import time
import uuid
from pathlib import Path

from celery import current_task
from django.core.mail.backends.base import BaseEmailBackend

SLOW_MARKER = "slow-started"


class RecordingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["ATIENDE_TEST_MAIL_DIR"])
        worker = (current_task.request.hostname if current_task else None) or "no-worker"
        for message in email_messages:
            if message.extra_headers.get("X-Test-Slow") and not (folder / SLOW_MARKER).exists():
                (folder / SLOW_MARKER).write_text(worker)
                time.sleep(60)
            time.sleep(0.5)  # a mail server takes a moment: time enough for a second sender
            name = f"{uuid.uuid4().hex}.txt"
            (folder / name).write_text(f"{message.extra_headers['Message-ID']}\n{worker}\n")
        return len(email_messages)
