"""Background jobs in one process: the schedule, the lock, the outbox claim, the runner."""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from kombu.exceptions import OperationalError

from atiende.celery import app
from atiende.jobs import dispatch, runner
from atiende.jobs.locks import exclusive_run
from atiende.jobs.runner import run_forever
from atiende.jobs.schedule import beat_schedule, periodic_jobs
from atiende.outbox import tasks
from atiende.outbox.models import EmailStatus, OutboundEmail
from atiende.outbox.outbox import Recipient, enqueue

ROOT = Path(__file__).resolve().parents[2]


def _queue(**headers: str) -> OutboundEmail:
    context: dict[str, object] = {
        "user": {"get_short_name": "Ana", "email": "ana@acme.test"},
        "link": "-",
        "login": "-",
    }
    email = enqueue("contact_invitation", Recipient("ana@acme.test", "es"), context, headers=headers)
    assert email is not None
    return email


# --- the schedule ------------------------------------------------------------------------


def test_the_schedule_leaves_out_jobs_whose_module_does_not_exist_and_jobs_turned_off(settings):
    settings.ATIENDE_PERIODIC_JOBS = {
        "atiende.outbox.deliver_due": 30,
        "atiende.nowhere.poll": 60,  # no atiende/nowhere/tasks.py
        "tests.jobs.record_tick": 0,  # turned off
    }

    assert periodic_jobs() == {"atiende.outbox.deliver_due": 30}
    assert beat_schedule() == {
        "atiende.outbox.deliver_due": {
            "task": "atiende.outbox.deliver_due",
            "schedule": 30.0,
            "options": {"expires": 30.0, "time_limit": settings.ATIENDE_JOB_MAX_SECONDS},
        }
    }


def test_intervals_broker_and_file_storage_come_from_the_environment(tmp_path):
    script = (
        "import json; from atiende import settings as s; "
        "print(json.dumps([s.ATIENDE_PERIODIC_JOBS, s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, "
        "s.STORAGES['default'], s.CACHES['default']['BACKEND'], getattr(s, 'SESSION_ENGINE', 'db')]))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ATIENDE_", "CELERY_", "REDIS_"))}
    base.update(ATIENDE_DEMO="true", ATIENDE_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT))

    def settings_with(**env: str) -> Any:
        done = subprocess.run(
            [sys.executable, "-c", script], env={**base, **env}, capture_output=True, text=True, check=True
        )
        return json.loads(done.stdout.splitlines()[-1])

    jobs, broker, eager, storage, cache, sessions = settings_with(
        ATIENDE_POLL_SECONDS="15",
        ATIENDE_SLA_SWEEP_SECONDS="0",
        ATIENDE_OUTBOX_RETRY_SECONDS="120",
        ATIENDE_ROLLUP_SECONDS="600",
        ATIENDE_REVIEW_SECONDS="1800",
        REDIS_URL="redis://redis.internal:6379/0",
        ATIENDE_S3_BUCKET="adjuntos",
        ATIENDE_S3_ENDPOINT_URL="https://s3.example.com",
        ATIENDE_S3_REGION="us-east-1",
        ATIENDE_S3_ACCESS_KEY_ID="key",
        ATIENDE_S3_SECRET_ACCESS_KEY="secret",
    )
    assert jobs == {
        "atiende.mail.poll": 15,
        "atiende.sla.sweep": 0,
        "atiende.outbox.deliver_due": 120,
        "atiende.webhooks.deliver_due": 60,
        "atiende.api.prune_idempotency": 3600,
        "atiende.rollups.roll_up": 600,
        "atiende.reviews.send_due": 1800,
        "atiende.whatsapp.process_pending": 60,
        "atiende.whatsapp.deliver_due": 60,
    }
    assert (broker, eager) == ("redis://redis.internal:6379/0", False)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert {
        k: storage["OPTIONS"][k] for k in ("bucket_name", "endpoint_url", "access_key", "secret_key")
    } == {
        "bucket_name": "adjuntos",
        "endpoint_url": "https://s3.example.com",
        "access_key": "key",
        "secret_key": "secret",
    }
    assert (cache, sessions) == (
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cache",
    )

    jobs, broker, eager, storage, cache, sessions = settings_with()
    assert jobs == {
        "atiende.mail.poll": 60,
        "atiende.sla.sweep": 60,
        "atiende.outbox.deliver_due": 60,
        "atiende.webhooks.deliver_due": 60,
        "atiende.api.prune_idempotency": 3600,
        "atiende.rollups.roll_up": 900,
        "atiende.reviews.send_due": 3600,
        "atiende.whatsapp.process_pending": 60,
        "atiende.whatsapp.deliver_due": 60,
    }
    assert (broker, eager) == ("", True)
    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert cache == "django.core.cache.backends.filebased.FileBasedCache"  # shared by the processes


# --- the lock ----------------------------------------------------------------------------


def test_a_run_holding_the_lock_keeps_a_second_run_out():
    with exclusive_run("job", hold=60) as first:
        with exclusive_run("job", hold=60) as second:
            assert (first, second) == (True, False)
        with exclusive_run("other", hold=60) as other:
            assert other
    with exclusive_run("job", hold=60) as after:
        assert after


def test_a_run_with_a_gap_keeps_out_other_runs_with_a_gap_until_the_gap_has_passed():
    with exclusive_run("job", hold=60, min_gap=30) as first:
        assert first
    with exclusive_run("job", hold=60, min_gap=30) as too_soon:
        assert not too_soon
    with exclusive_run("job", hold=60) as without_gap:
        assert without_gap
    later = timezone.now() + datetime.timedelta(seconds=31)
    with time_machine.travel(later), exclusive_run("job", hold=60, min_gap=30) as next_period:
        assert next_period


def test_a_periodic_task_does_not_run_while_another_run_holds_its_lock(settings, db):
    settings.ATIENDE_PERIODIC_JOBS = {"atiende.outbox.deliver_due": 60}
    email = OutboundEmail.objects.create(
        kind="t", message_id="<a@x>", to=["a@x.test"], subject="s", body_text="b"
    )

    with exclusive_run("atiende.outbox.deliver_due", hold=60):
        assert tasks.deliver_due.delay().get() is None
    assert OutboundEmail.objects.get(pk=email.pk).status == EmailStatus.PENDING

    assert tasks.deliver_due.delay().get() == 1
    assert OutboundEmail.objects.get(pk=email.pk).status == EmailStatus.SENT


def test_a_second_tick_within_half_an_interval_is_skipped_but_a_direct_call_runs(settings, db):
    settings.ATIENDE_PERIODIC_JOBS = {"atiende.outbox.deliver_due": 60}
    assert tasks.deliver_due.delay().get() == 0  # a tick (eager here): ran, sent nothing
    OutboundEmail.objects.create(kind="t", message_id="<b@x>", to=["b@x.test"], subject="s", body_text="b")

    assert tasks.deliver_due.delay().get() is None  # a second beat's tick for the same period
    assert tasks.deliver_due() == 1  # a command or test calling the function
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=31)):
        assert tasks.deliver_due.delay().get() == 0  # the next period's tick runs


# --- the outbox claim --------------------------------------------------------------------


def test_an_email_is_claimed_by_one_sender_only(db):
    email = _queue()

    assert tasks.claim([email.pk]) == [email.pk]
    assert tasks.claim([email.pk]) == []
    assert tasks.deliver([email.pk]) == 0  # claimed by someone else: not sent twice
    assert mail.outbox == []


def test_an_email_whose_sender_died_is_sent_by_the_periodic_retry_once_the_claim_runs_out(settings, db):
    email = _queue()
    assert tasks.claim([email.pk]) == [email.pk]  # ... and the worker died while sending

    assert tasks.deliver_due() == 0
    later = timezone.now() + datetime.timedelta(seconds=settings.ATIENDE_OUTBOX_CLAIM_SECONDS + 1)
    with time_machine.travel(later):
        assert tasks.deliver_due() == 1
        assert tasks.deliver_due() == 0
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.get(pk=email.pk).status == EmailStatus.SENT


def test_a_failed_attempt_is_retried_by_the_periodic_job_after_its_backoff(settings, db):
    settings.EMAIL_BACKEND = "tests.jobs.failing_backend.EmailBackend"
    email = _queue()
    assert tasks.deliver([email.pk]) == 0
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.deliver_due() == 0  # not due yet
    with time_machine.travel(email.next_attempt_at + datetime.timedelta(seconds=1)):
        assert tasks.deliver_due() == 1
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [email.message_id]


# --- dispatching -------------------------------------------------------------------------


def test_without_a_broker_the_email_is_sent_in_process_after_commit(db, django_capture_on_commit_callbacks):
    assert app.conf.task_always_eager
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()

    assert OutboundEmail.objects.get(pk=email.pk).status == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_when_the_broker_is_down_the_change_succeeds_and_the_email_waits_for_the_retry(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    def broker_down(*args: object, **kwargs: object) -> None:
        raise OperationalError("Error 111 connecting to redis.internal:6379. Connection refused.")

    monkeypatch.setattr(tasks.deliver, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()

    assert OutboundEmail.objects.get(pk=email.pk).status == EmailStatus.PENDING
    assert tasks.deliver_due() == 1


def test_the_dispatcher_hands_the_ids_to_the_deliver_task(monkeypatch):
    handed = []
    monkeypatch.setattr(tasks.deliver, "delay", lambda ids: handed.append(ids))

    dispatch.deliver_outbox((3, 5))

    assert handed == [[3, 5]]


# --- the in-process runner ---------------------------------------------------------------


def test_run_periodic_once_runs_every_scheduled_job(settings, db, capsys, monkeypatch):
    # The runner drops stale connections between jobs; here that would end the test's transaction.
    monkeypatch.setattr(runner, "close_old_connections", lambda: None)
    settings.ATIENDE_PERIODIC_JOBS = {"atiende.outbox.deliver_due": 60, "atiende.nowhere.poll": 60}
    _queue()

    call_command("run_periodic", "--once")

    assert capsys.readouterr().out.splitlines() == ["atiende.outbox.deliver_due: ok"]
    assert len(mail.outbox) == 1


def test_the_periodic_job_deletes_expired_idempotency_records(settings, db, capsys, monkeypatch):
    from atiende.accounts.models import User
    from atiende.api.models import IdempotencyRecord

    monkeypatch.setattr(runner, "close_old_connections", lambda: None)
    settings.ATIENDE_PERIODIC_JOBS = {"atiende.api.prune_idempotency": 3600}
    user = User.objects.create_user(email="idem@example.test", password="x" * 20)
    record = {"user": user, "fingerprint": "f", "status_code": 201}
    IdempotencyRecord.objects.create(
        key="old", created_at=timezone.now() - datetime.timedelta(days=2), **record
    )
    IdempotencyRecord.objects.create(key="new", **record)

    call_command("run_periodic", "--once")

    assert capsys.readouterr().out.splitlines() == ["atiende.api.prune_idempotency: ok"]
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_the_runner_runs_each_job_at_start_and_then_every_interval():
    runs: list[tuple[str, float]] = []
    stop = threading.Event()
    started = time.monotonic()

    def run(name: str) -> bool:
        runs.append((name, time.monotonic() - started))
        if len(runs) == 6:
            stop.set()
        return True

    run_forever({"fast": 1, "slow": 3}, stop, run=run)

    assert [(name, round(at)) for name, at in runs[:4]] == [
        ("fast", 0),
        ("slow", 0),
        ("fast", 1),
        ("fast", 2),
    ]
    assert sorted((name, round(at)) for name, at in runs[4:]) == [("fast", 3), ("slow", 3)]


@pytest.mark.server
def test_the_runner_process_sends_queued_mail_and_stops_on_sigterm(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ATIENDE_", "REDIS_", "CELERY_", "DATABASE_"))
    }
    env.update(
        ATIENDE_DEMO="true",
        ATIENDE_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="atiende.settings",
        PYTHONPATH=str(ROOT),
        ATIENDE_OUTBOX_RETRY_SECONDS="1",
    )
    atiende = str(Path(sys.executable).parent / "atiende")
    subprocess.run([atiende, "migrate", "outbox", "-v0"], env=env, check=True, timeout=120)
    subprocess.run(
        [atiende, "shell", "-c", "from tests.jobs.test_jobs import _queue_row; _queue_row()"],
        env=env,
        check=True,
        timeout=60,
    )
    runner = subprocess.Popen([atiende, "run_periodic"], env=env, stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not list((tmp_path / "mail").glob("*.log")) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert list((tmp_path / "mail").glob("*.log")), "the runner sent nothing"
    finally:
        runner.send_signal(signal.SIGTERM)
        output, _ = runner.communicate(timeout=15)
    assert runner.returncode == 0
    assert "atiende.outbox.deliver_due every 1 s" in output


def _queue_row() -> None:
    """A pending email written without dispatching it, as if its worker had died."""
    OutboundEmail.objects.create(kind="t", message_id="<r@x>", to=["a@x.test"], subject="s", body_text="b")
