"""Stateless web servers: sessions and cache in Redis, attachments in an S3-compatible store,
and a health check that says when either dependency is down."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator

import boto3
import pytest
import redis
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from atiende import views
from atiende.tickets import actions
from atiende.tickets.attachments import Upload
from atiende.tickets.models import Attachment, Channel
from tests.factories import PASSWORD, open_ticket
from tests.jobs.services import unavailable

REDIS_URL = os.environ.get("ATIENDE_TEST_WEB_REDIS_URL", "redis://127.0.0.1:6379/9")
PORTS = range(14600, 14700)


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        unavailable(f"Redis is not reachable at {REDIS_URL}: {error}")
    return client


@pytest.fixture
def redis_web(settings) -> Iterator[redis.Redis]:
    """Cache and sessions in Redis, as with REDIS_URL set; keys under a prefix of this test."""
    client = _redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex}"
    settings.REDIS_URL = REDIS_URL
    settings.CACHES = {
        **settings.CACHES,  # the per-process caches (kept fragments) stay as configured
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    yield client
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_a_session_started_on_one_web_server_is_recognised_on_another(world, redis_web):
    first_server, second_server = Client(), Client()

    response = first_server.post(reverse("account_login"), {"login": "ana@acme.test", "password": PASSWORD})
    assert response.status_code == 302
    session_id = first_server.cookies[django_settings.SESSION_COOKIE_NAME].value

    second_server.cookies[django_settings.SESSION_COOKIE_NAME] = session_id
    page = second_server.get(reverse("portal:home"))
    assert page.status_code == 200
    assert page.context["user"].email == "ana@acme.test"

    # The session is in Redis, not in the database nor in a web server's memory.
    assert not Session.objects.exists()
    assert any(session_id.encode() in key for key in redis_web.scan_iter("*django.contrib.sessions.cache*"))

    # Signing out on the second server ends the session on the first too.
    second_server.post(reverse("account_logout"))
    assert first_server.get(reverse("portal:home")).status_code == 302


# --- attachments in an S3-compatible store --------------------------------------------------


def _free_port_in_range() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 14600-14699 for the S3 server")


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port_in_range()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(settings, s3_endpoint) -> Iterator[object]:
    """Attachments to a bucket on the local S3-compatible server, as ATIENDE_S3_* would set."""
    name = f"adjuntos-{uuid.uuid4().hex[:8]}"
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}
    bucket = boto3.resource("s3", endpoint_url=s3_endpoint, **credentials).Bucket(name)
    bucket.create()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    yield bucket
    bucket.objects.all().delete()
    bucket.delete()


def test_attachments_go_to_the_bucket_and_come_back_through_the_permission_checked_view(
    world, client, s3_bucket
):
    photo = b"\x89PNG\r\n\x1a\n" + os.urandom(2048)
    ticket = open_ticket(world.luis, world.soporte, attachments=[Upload("impresora.png", photo)])
    log = b"2024-05-02 09:14 spooler: paper jam\n"
    actions.attach_files(
        world.luis.user, ticket.messages.get(), channel=Channel.WEB, files=[Upload("spooler.log", log)]
    )

    stored = {a.filename: a for a in Attachment.objects.filter(ticket=ticket)}
    assert set(stored) == {"impresora.png", "spooler.log"}
    in_bucket = {obj.key: obj.get()["Body"].read() for obj in s3_bucket.objects.all()}
    assert in_bucket == {stored["impresora.png"].file.name: photo, stored["spooler.log"].file.name: log}

    client.force_login(world.luis.user)
    for attachment, content in ((stored["impresora.png"], photo), (stored["spooler.log"], log)):
        response = client.get(reverse("attachment", args=[attachment.pk, attachment.filename]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content

    # Another company's contact gets nothing, even though the file is in the same bucket.
    client.force_login(world.carla.user)
    other = client.get(reverse("attachment", args=[stored["spooler.log"].pk, "spooler.log"]))
    assert other.status_code == 404


# --- the health check ------------------------------------------------------------------------


@pytest.fixture
def fresh_redis_clients() -> Iterator[None]:
    views._redis.cache_clear()
    yield
    views._redis.cache_clear()


def test_the_health_check_answers_ok_when_the_database_and_redis_answer(
    client, db, redis_web, fresh_redis_clients
):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_health_check_fails_when_redis_does_not_answer(client, db, settings, fresh_redis_clients):
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        dead = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    settings.REDIS_URL = dead
    settings.CELERY_BROKER_URL = dead

    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (503, {"status": "error", "failed": ["redis"]})


def test_the_health_check_names_an_unreachable_broker_apart_from_the_cache(
    client, db, settings, fresh_redis_clients
):
    _redis_or_skip()
    settings.REDIS_URL = REDIS_URL
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (503, {"status": "error", "failed": ["broker"]})


def test_without_redis_the_health_check_only_asks_the_database(client, db, settings):
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_URL = ""
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get(reverse("health")).status_code == 200
