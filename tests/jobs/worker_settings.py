"""Settings for the worker, beat and helper processes the scale-out test starts.

The production settings (broker, cache and database come from the environment the test
sets), plus a test-only periodic job, an email backend that records each delivery, and
short claim and redelivery times so that recovery is seen within seconds.
"""

import os

from atiende.settings import *  # noqa: F403
from atiende.settings import ATIENDE_PERIODIC_JOBS, CELERY_BROKER_TRANSPORT_OPTIONS

ATIENDE_PERIODIC_JOBS = {
    **ATIENDE_PERIODIC_JOBS,
    "tests.jobs.record_tick": int(os.environ.get("ATIENDE_TEST_TICK_SECONDS", "2")),
}
EMAIL_BACKEND = "tests.jobs.mail_backend.RecordingBackend"
ATIENDE_OUTBOX_CLAIM_SECONDS = 4
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
