"""Nothing lost when the web server dies: contacts submit tickets with files through a real
gunicorn while its worker is killed with SIGKILL again and again. Every ticket that exists
has all of its files, intact; every submission the server confirmed exists; and after the
crashes the same person submits again without trouble."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.helpers import free_port

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(
        "DATABASE_URL" in os.environ, reason="runs once, in the SQLite pass: it serves the demo database"
    ),
]

FILES = {
    "captura.png": b"\x89PNG\r\n\x1a\n" + os.urandom(1_500_000),
    "registro.txt": os.urandom(800_000).hex().encode(),
}
CHECK = """
import hashlib
from atiende.tickets.models import Ticket
from django.core.files.storage import default_storage
for ticket in Ticket.objects.filter(subject__startswith="Corte "):
    files = sorted((a.filename, a.sha256, hashlib.sha256(default_storage.open(a.file.name).read()).hexdigest())
                   for a in ticket.attachments.all())
    print(ticket.subject + "\t" + "|".join(f"{name}:{stated}:{actual}" for name, stated, actual in files))
"""


class Server:
    def __init__(self, var_dir: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY"}
        }
        self.env.update(ATIENDE_DEMO="true", ATIENDE_VAR_DIR=str(var_dir))
        self.manage("migrate", "-v0")
        self.manage("load_demo")
        self.master = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "atiende.wsgi",
                "-w",
                "1",
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.wait_until_serving()

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "atiende", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def wait_until_serving(self) -> None:
        # Generous: on a loaded machine the workers' start can take a minute.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/health/", timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not serve within 300 s")

    def worker(self) -> int | None:
        children = Path(f"/proc/{self.master.pid}/task/{self.master.pid}/children")
        pids = children.read_text().split() if children.exists() else []
        return int(pids[0]) if pids else None

    def stop(self) -> None:
        self.master.terminate()
        self.master.wait(timeout=20)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "var")
    yield running
    running.stop()


def signed_in(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token[1], "login": "ana@acme.test", "password": "atiende-demo"},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
    )
    return session


POSTING = threading.Event()  # set while a submission is on its way to the server


def submit(session: requests.Session, base: str, subject: str) -> int | None:
    """The new-ticket form as a browser sends it; the ticket number, or None if it failed."""
    url = f"{base}/portal/tickets/new/"
    page = session.get(url, timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    fields = {
        "csrfmiddlewaretoken": token[1],
        "subject": subject,
        "text": f"{subject}: detalle del problema.",
    }
    for name, options in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', page, re.S):
        first = re.search(r'<option value="([^"]+)"', options)
        if first:
            fields[name] = first[1]
    files = [("attachments", (name, content)) for name, content in FILES.items()]
    POSTING.set()
    try:
        response = session.post(
            url, data=fields, files=files, headers={"Referer": url}, timeout=30, allow_redirects=False
        )
    finally:
        POSTING.clear()
    found = re.search(r"/portal/tickets/(\d+)/", response.headers.get("Location", ""))
    return int(found[1]) if response.status_code == 302 and found else None


def test_killing_the_web_worker_mid_submission_leaves_whole_tickets_or_none(server: Server) -> None:
    confirmed: list[str] = []
    failed: list[str] = []
    stop = threading.Event()

    problems: list[BaseException] = []

    def contact() -> None:
        try:
            submit_until_stopped()
        except BaseException as error:
            problems.append(error)

    def submit_until_stopped() -> None:
        session = _retry_sign_in(server.base)
        n = 0
        while not stop.is_set():
            n += 1
            subject = f"Corte {n}"
            try:
                number = submit(session, server.base, subject)
            except (requests.RequestException, AssertionError):  # killed mid-request
                number = None
                session = _retry_sign_in(server.base)
            (confirmed if number else failed).append(subject)

    submitting = threading.Thread(target=contact)
    submitting.start()
    kills = 0
    deadline = time.monotonic() + 90
    while kills < 4 and time.monotonic() < deadline:
        # Kill only after a submission went through since the last kill, and while the
        # next one is on its way: the crash always lands mid-submission.
        progress = len(confirmed)
        while len(confirmed) == progress and time.monotonic() < deadline:
            time.sleep(0.05)
        while not POSTING.is_set() and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.03)
        pid = server.worker()
        if pid:
            os.kill(pid, signal.SIGKILL)
            kills += 1
            server.wait_until_serving()  # the master starts a new worker
    stop.set()
    submitting.join(timeout=60)
    assert not problems, problems

    assert kills >= 3 and failed, (
        f"the kills must interrupt submissions ({kills=}, {failed=}, {len(confirmed)=})"
    )
    expected = sorted(f"{name}:{hashlib.sha256(content).hexdigest()}" for name, content in FILES.items())
    stored = {}
    for line in server.manage("shell", "-v0", "-c", CHECK).splitlines():
        subject, _, files = line.partition("\t")
        stored[subject] = sorted(
            f"{name}:{stated}"
            for name, stated, actual in (item.split(":") for item in files.split("|"))
            if stated == actual
        )
    assert stored, "some submissions must have gone through"
    assert all(files == expected for files in stored.values()), stored  # never a ticket without its files
    assert set(confirmed) <= set(stored)  # what the server confirmed exists

    session = signed_in(server.base)
    assert submit(session, server.base, "Corte final") is not None  # and one can simply submit again


def _retry_sign_in(base: str) -> requests.Session:
    for _ in range(50):
        try:
            return signed_in(base)
        except (requests.RequestException, AssertionError):
            time.sleep(0.2)
    raise AssertionError("could not sign in again after the crash")
