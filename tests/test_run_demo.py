"""The demo as `make run` serves it: a real gunicorn process on a fresh SQLite database."""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import free_port

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.server


def _start(var_dir: Path, port: int) -> subprocess.Popen[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(PORT=str(port), ATIENDE_VAR_DIR=str(var_dir), VENV=str(Path(sys.executable).parent.parent))
    return subprocess.Popen(
        [str(ROOT / "scripts" / "run-demo.sh")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_until_serving(base: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 600  # the first run migrates and loads three months of demo history
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped:\n{server.stdout.read() if server.stdout else ''}")
        try:
            with urllib.request.urlopen(f"{base}/health/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the server did not answer within 120 s")


def _stop(server: subprocess.Popen[str]) -> str:
    server.terminate()
    try:
        output, _ = server.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        output, _ = server.communicate()
    return output


def _sign_in(base: str, email: str, password: str) -> tuple[str, str]:
    """Sign in through the form like a browser; return the final URL and page."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/accounts/login/") as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token[1], "login": email, "password": password})
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=form.encode(), headers={"Referer": f"{base}/accounts/login/"}
    )
    with opener.open(request) as response:
        return response.geturl(), response.read().decode()


def test_make_run_serves_the_demo_and_the_demo_accounts_sign_in(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start(tmp_path, port)
    try:
        _wait_until_serving(base, server)
        with urllib.request.urlopen(f"{base}/accounts/login/") as response:
            login_page = response.read().decode()
        assert "Iniciar sesión" in login_page
        assert 'lang="es"' in login_page

        url, page = _sign_in(base, "ana@acme.test", "atiende-demo")
        assert url.endswith("/portal/")
        assert "Tickets de la Compañía" in page

        url, page = _sign_in(base, "agente@atiende.test", "atiende-demo")
        assert url.endswith("/desk/")

        url, page = _sign_in(base, "ana@acme.test", "wrong password")
        assert url.endswith("/accounts/login/")
    finally:
        first_output = _stop(server)
    assert "admin@atiende.test" in first_output
    assert "atiende-demo" in first_output

    # Running it again keeps the data (the demo is not loaded twice).
    server = _start(tmp_path, port)
    try:
        _wait_until_serving(base, server)
    finally:
        second_output = _stop(server)
    assert "ya estaban cargados" in second_output
    assert "admin@atiende.test" in second_output
    assert (tmp_path / "atiende.sqlite3").exists()
