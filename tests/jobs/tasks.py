"""A test-only periodic job: each run leaves a record in Redis (the broker's database)."""

import json
import time

import redis
from celery import shared_task
from django.conf import settings

RUNS_KEY = "atiende:test:runs"


@shared_task(name="tests.jobs.record_tick", bind=True)
def record_tick(self, hold: float = 0) -> None:
    client = redis.Redis.from_url(settings.REDIS_URL)
    run = {"id": self.request.id, "worker": self.request.hostname, "hold": hold, "at": time.time()}
    client.rpush(RUNS_KEY, json.dumps(run))
    time.sleep(hold)
