"""Sign-in limits hold across web server processes. A real gunicorn with two workers (as
`make run` starts it) serves the test database; two browsers keep a connection each to a
different worker (the access log names the process that answered) and take turns posting
wrong passwords for one account. After the configured number of failures the next attempt
is refused on whichever worker it lands, even with the right password. With the cache in
each process's memory, each worker counted its own failures and let twice as many through.

It runs with the cache of a machine without Redis (files under var/) and with Redis."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests
from allauth.account import app_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.conftest import World
from tests.factories import PASSWORD
from tests.helpers import free_port
from tests.jobs.services import unavailable

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REDIS_URL = os.environ.get("ATIENDE_TEST_RATE_LIMIT_REDIS_URL", "redis://127.0.0.1:6379/13")
LOGIN = "/accounts/login/"


def configured_failures() -> int:
    """How many failed sign-ins per account the settings allow (allauth's `login_failed`)."""
    rule = app_settings.RATE_LIMITS["login_failed"]
    per_key = next(part for part in rule.split(",") if part.endswith("/key"))
    return int(per_key.split("/")[0])


def database_url() -> str:
    """The test database, as the server's settings read it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Gunicorn:
    def __init__(self, var_dir: Path, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = var_dir / "access.log"
        var_dir.mkdir(parents=True, exist_ok=True)
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("ATIENDE_", "DJANGO_", "REDIS_", "CELERY_")) and key != "SECRET_KEY"
        }
        environment.update(
            ATIENDE_DEMO="true", ATIENDE_VAR_DIR=str(var_dir), DATABASE_URL=database_url(), **env
        )
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "atiende.wsgi",
                "--workers", "2", "--threads", "4", "--keep-alive", "60", "--timeout", "120",
                "--bind", f"127.0.0.1:{self.port}",
                "--access-logfile", str(self.log), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s",
            ],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.wait_until_serving()

    def wait_until_serving(self) -> None:
        # Generous: on a loaded machine two workers importing Django can take a minute.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited with status {self.process.returncode}")
            try:
                if requests.get(f"{self.base}/health/", timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not serve within 300 s")

    def lines(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []

    def request(
        self, browser: requests.Session, method: str, path: str, **kwargs: object
    ) -> tuple[str, requests.Response]:
        """The answer, and the process that gave it (from the access log, written just after)."""
        seen = len(self.lines())
        response = browser.request(method, f"{self.base}{path}", timeout=20, allow_redirects=False, **kwargs)  # type: ignore[arg-type]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            new = [line for line in self.lines()[seen:] if f" {method.upper()} {path} " in line]
            if new:
                return new[-1].split()[0], response
            time.sleep(0.02)
        raise AssertionError(f"the access log does not show {method} {path}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


@pytest.fixture(params=["files", "redis"])
def server(request: pytest.FixtureRequest, tmp_path: Path, world: World) -> Iterator[Gunicorn]:
    # Passwords as the server checks them (the tests' own hasher is a fast one it does not know).
    user = world.ana.user
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "saltysalt12")
    user.save(update_fields=["password"])
    env: dict[str, str] = {}
    if request.param == "redis":
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        try:
            client.flushdb()
        except redis.RedisError as error:
            unavailable(f"Redis is not reachable at {REDIS_URL}: {error}")
        env = {"REDIS_URL": REDIS_URL, "CELERY_BROKER_URL": ""}
    running = Gunicorn(tmp_path / "var", **env)
    yield running
    running.stop()
    if request.param == "redis":
        client.flushdb()


def pinned_browsers(server: Gunicorn) -> dict[str, requests.Session]:
    """One browser per worker: each keeps its connection open (keep-alive), so all its
    requests reach the same process. Browsers are opened until both workers have one."""
    browsers: dict[str, requests.Session] = {}
    for _ in range(40):
        browser = requests.Session()
        pid, page = server.request(browser, "get", LOGIN)
        assert page.status_code == 200
        browsers.setdefault(pid, browser)
        if len(browsers) == 2:
            return browsers
    raise AssertionError("every connection reached the same worker")


def sign_in(server: Gunicorn, browser: requests.Session, password: str) -> tuple[str, requests.Response]:
    pid, page = server.request(browser, "get", LOGIN)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token
    data = {"csrfmiddlewaretoken": token[1], "login": "ana@acme.test", "password": password}
    answer_pid, answer = server.request(
        browser, "post", LOGIN, data=data, headers={"Referer": f"{server.base}{LOGIN}"}
    )
    assert answer_pid == pid  # the same connection, the same worker
    return answer_pid, answer


def test_failed_sign_ins_are_counted_across_workers_and_the_limit_holds(server: Gunicorn):
    limit = configured_failures()
    browsers = list(pinned_browsers(server).items())

    served = []
    for attempt in range(limit):
        pid, answer = sign_in(server, browsers[attempt % 2][1], "contraseña-equivocada")
        served.append(pid)
        assert answer.status_code == 200  # the form again, saying the password is wrong
        assert "Demasiados intentos" not in answer.text and "Too many" not in answer.text
    assert set(served) == {pid for pid, _browser in browsers}  # both workers counted some

    # One more, with the right password, on each worker: refused on both.
    for pid, browser in browsers:
        answer_pid, answer = sign_in(server, browser, PASSWORD)
        assert answer_pid == pid
        assert answer.status_code == 200, f"worker {pid} let a sign-in through after {limit} failures"
        assert "Demasiados intentos fallidos" in answer.text or "Too many failed" in answer.text
