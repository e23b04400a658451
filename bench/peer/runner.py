"""The side-by-side run: django-helpdesk installed from PyPI into its own environment
(`var/peer/venv`, never Atiende's), our benchmark data loaded into it, then the same pages
served by both through gunicorn (same number of workers, `--preload`) and measured with
wrk on loopback, ours first, then theirs, in one run.

CPU per request is `bench.cpu.ServerMeter` over the gunicorn workers and the PostgreSQL
processes serving them, divided by the requests the server completed (its access log):
the meter closes only when the workers are idle again, so a request wrk gave up on is
counted both in CPU and in requests."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.cpu import ServerMeter, children, database_backends, process_seconds
from bench.peer.compare import DATATABLES_QUERY, PAIRS, Measured, Pair, Side

PEER_VERSION = "2.6.1"
REQUIREMENTS = [f"django-helpdesk=={PEER_VERSION}", "gunicorn", "psycopg[binary]"]
SITE = Path(__file__).resolve().parent / "site"
VAR = Path(os.environ.get("PEER_VAR_DIR", Path.cwd() / "var" / "peer"))
VENV = VAR / "venv"
DATABASE = os.environ.get("PEER_DATABASE", "atiende_peer")
PORT = int(os.environ.get("BENCH_PORT", "14701"))
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("P50 %d\\nP95 %d\\n", latency:percentile(50), latency:percentile(95)))
end
"""


# --- the separate environment ----------------------------------------------------------


def peer_python() -> Path:
    return VENV / "bin" / "python"


def peer_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        PYTHONPATH=str(SITE),
        DJANGO_SETTINGS_MODULE="peer_settings",
        PEER_DATABASE=DATABASE,
        PEER_VAR_DIR=str(VAR),
        PYTHONWARNINGS="ignore",
    )
    return env


def ensure_environment() -> None:
    """A virtual environment of its own with django-helpdesk pinned, created once."""
    marker = VENV / f".installed-{PEER_VERSION}"
    if marker.exists():
        return
    print(f"Installing django-helpdesk {PEER_VERSION} into {VENV} …", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    subprocess.run(
        [str(peer_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *REQUIREMENTS],
        check=True,
    )
    marker.touch()


def ensure_database() -> None:
    """The peer's own PostgreSQL database, created beside ours and migrated."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    subprocess.run(
        [str(peer_python()), "-m", "django", "migrate", "--verbosity", "0"], env=peer_env(), check=True
    )


def peer_tool(*args: str) -> str:
    return subprocess.run(
        [str(peer_python()), str(SITE / "peer_tool.py"), *args],
        env=peer_env(),
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def source_url() -> str:
    from django.db import connection

    settings = connection.settings_dict
    host = settings["HOST"] or "127.0.0.1"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgresql://{settings['USER']}{password}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def ensure_data(expected: dict[str, int], reload: bool) -> dict[str, int]:
    """Load our data into the peer unless it already holds the same shape."""
    from bench.peer.compare import shape_differences

    found: dict[str, int] = json.loads(peer_tool("size"))
    if reload or shape_differences(expected, found):
        print("Loading our benchmark data into django-helpdesk …", flush=True)
        subprocess.run(
            [str(peer_python()), str(SITE / "peer_tool.py"), "load", source_url()], env=peer_env(), check=True
        )
        found = json.loads(peer_tool("size"))
    return found


# --- serving and measuring ------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    database: str
    access_log: Path

    def completed(self) -> int:
        return len(self.access_log.read_bytes().splitlines()) if self.access_log.exists() else 0


@contextlib.contextmanager
def serve(
    command: list[str], env: dict[str, str], port: int, database: str, workers: int, cwd: Path | None = None
) -> Iterator[Server]:
    folder = Path(tempfile.mkdtemp(prefix="bench-peer-"))
    log = folder / "access.log"
    process = subprocess.Popen(
        [
            *command,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--preload",
            "--log-level",
            "warning",
            "--access-logfile",
            str(log),
        ],
        env=env,
        cwd=cwd,
    )
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if process.poll() is not None:
                    raise SystemExit(f"the server on port {port} did not start") from None
                time.sleep(0.2)
        yield Server(process, port, database, log)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def fetch(server: Server, url: str, cookie: str) -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{url}", headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback http)
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def datatables_url(html: str) -> str:
    """The JSON call a ticket list page makes as soon as it loads (its DataTables ajax URL)."""
    found = re.search(r'"url":\s*"(/datatables_ticket_list/[^"]+)"', html)
    if found is None:
        raise SystemExit("no DataTables call on the peer's ticket list page")
    return f"{found[1]}?{DATATABLES_QUERY}"


def _cpu(pids: set[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            total += process_seconds(pid)
    return total


def _wait_until_idle(server: Server) -> None:
    """Workers finish what wrk left in flight before the meter closes."""
    pids = set(children(server.process.pid)) | database_backends(server.database)
    before = _cpu(pids)
    for _ in range(600):
        time.sleep(0.3)
        now = _cpu(pids)
        if now - before < 0.005:
            return
        before = now


def measure(server: Server, url: str, cookie: str, seconds: int, workers: int) -> Measured:
    for _ in range(workers * 3):  # every worker warm before measuring
        status, _body = fetch(server, url, cookie)
        if status != 200:
            raise SystemExit(f"{url} answered {status} on port {server.port}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        served = server.completed()
        with ServerMeter(server.process.pid, server.database) as meter:
            output = subprocess.run(
                [
                    *("wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "60s", "-s", script.name),
                    *("-H", f"Cookie: {cookie}", f"http://127.0.0.1:{server.port}{url}"),
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            _wait_until_idle(server)
        served = server.completed() - served
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    p50, p95 = re.search(r"P50 (\d+)", output), re.search(r"P95 (\d+)", output)
    return Measured(
        url=url,
        requests=served,
        cpu_seconds=meter.seconds,
        requests_per_second=float(rate[1]) if rate else 0.0,
        p50_ms=int(p50[1]) / 1000 if p50 else 0.0,
        p95_ms=int(p95[1]) / 1000 if p95 else 0.0,
        non_2xx=int(errors[1]) if errors else 0,
    )


def fill(template: str, targets: dict[str, Any]) -> str:
    return template.format(**targets)


def side_by_side(
    scenarios: list[Any], seconds: int, workers: int, reload: bool = False
) -> tuple[list[tuple[Pair, Side, Side]], dict[str, Any]]:
    """Install, load, then measure every pair: all of ours, then all of theirs."""
    from django.db import connection

    from bench.peer.compare import peer_shape
    from bench.run import _session_cookie, data_size

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed (apt-get install -y wrk)")
    if connection.vendor != "postgresql":
        raise SystemExit("the side-by-side run needs PostgreSQL (DATABASE_URL)")
    ensure_environment()
    ensure_database()
    ours_size = data_size()
    peer_size = ensure_data(peer_shape(ours_size), reload)
    by_prefix = {pair.name: next(s for s in scenarios if s.name.startswith(pair.ours)) for pair in PAIRS}

    from bench.scenarios import _busiest_queue_agent, _thread

    thread = _thread(50)
    _agent, queue, _quiet = _busiest_queue_agent()  # the agent inbox's queue
    targets = {"ticket": thread.number, "queue_slug": thread.queue.slug, "queue": queue.pk}

    ours: dict[str, Side] = {}
    theirs: dict[str, Side] = {}
    database = connection.settings_dict["NAME"]
    print("Measuring Atiende …", flush=True)
    with serve(
        [sys.executable, "-m", "gunicorn", "atiende.wsgi"], os.environ.copy(), PORT, database, workers
    ) as server:
        done: dict[str, Measured] = {}  # a page paired twice is measured once
        for pair in PAIRS:
            scenario = by_prefix[pair.name]
            if scenario.name not in done:
                cookie = _session_cookie(scenario.large.user)
                done[scenario.name] = measure(server, scenario.large.url, cookie, seconds, workers)
            ours[pair.name] = Side([done[scenario.name]])
    print("Measuring django-helpdesk …", flush=True)
    gunicorn = [str(VENV / "bin" / "gunicorn"), "peer_wsgi:application"]
    with serve(gunicorn, peer_env(), PORT + 1, DATABASE, workers, cwd=SITE) as server:
        for pair in PAIRS:
            user = by_prefix[pair.name].large.user
            cookie = peer_tool("session", user.email)
            urls = [fill(template, {**targets, "email": user.email}) for template in pair.peer]
            if pair.list_json:
                _status, page = fetch(server, urls[0], cookie)
                urls.append(datatables_url(page))
            theirs[pair.name] = Side([measure(server, url, cookie, seconds, workers) for url in urls])
    summary = {
        "peer": f"django-helpdesk {PEER_VERSION}",
        "data": ours_size,
        "peer_data": peer_size,
        "workers": workers,
        "wrk_seconds": seconds,
        "load_average": os.getloadavg(),
        "pages": [
            {
                "page": pair.name,
                "ours": [vars(part) | {"cpu_ms": part.cpu_ms} for part in ours[pair.name].parts],
                "peer": [vars(part) | {"cpu_ms": part.cpu_ms} for part in theirs[pair.name].parts],
            }
            for pair in PAIRS
        ],
    }
    return [(pair, ours[pair.name], theirs[pair.name]) for pair in PAIRS], summary


def run(seconds: int, workers: int, reload: bool, json_path: Path | None = None) -> str:
    from django.core.management import call_command

    from bench import scenarios
    from bench.peer.compare import table

    call_command("collectstatic", interactive=False, verbosity=0)
    rows, summary = side_by_side(scenarios.build(), seconds, workers, reload)
    if json_path:
        json_path.write_text(json.dumps(summary, indent=2, ensure_ascii=False, default=str))
    data = summary["data"]
    return (
        f"\nSame data on both sides: {data['tickets']} tickets, {data['messages']} messages, "
        f"{data['queues']} queues, {data['agents']} agents, {data['contacts']} contacts "
        f"({data['companies']} companies; the peer: {json.dumps(summary['peer_data'])}); "
        f"{workers} gunicorn workers each, wrk -t2 -c8 for {seconds} s per URL.\n\n"
        + table(rows, os.getloadavg())
    )
