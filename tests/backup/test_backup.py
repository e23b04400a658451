"""`atiende backup` and `atiende restore`, end to end, as an operator runs them: a demo
instance is backed up, restored into an empty one, verified, and keeps working."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.server

ATIENDE = [sys.executable, "-m", "atiende"]


_CREATED: list[tuple[str, str]] = []


def _database_urls() -> tuple[str, str]:
    """Two fresh databases of the engine the suite runs on."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "", ""
    import psycopg

    db = settings.DATABASES["default"]
    base = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    names = [f"atiende_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
            _CREATED.append((base, name))
    return f"{base}/{names[0]}", f"{base}/{names[1]}"


def run(var_dir: Path, database_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "ATIENDE_DEMO": "true", "ATIENDE_VAR_DIR": str(var_dir)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [*ATIENDE, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"{args} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module", autouse=True)
def _drop_databases() -> Iterator[None]:
    yield
    import psycopg

    for base, name in _CREATED:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path, str]:
    """A demo instance and its backup archive (built once: it takes a while)."""
    tmp_path = tmp_path_factory.mktemp("backup")
    source_url, target_url = _database_urls()
    source = tmp_path / "source"
    run(source, source_url, "migrate", "-v0")
    run(source, source_url, "load_demo")
    archive = tmp_path / "atiende.tar.gz"
    made = run(source, source_url, "backup", str(archive)).stdout
    assert made.startswith("backup written to")
    return source, source_url, archive, target_url


def test_a_backup_restores_into_an_empty_instance_verified_and_working(backed_up, tmp_path):
    source, source_url, archive, target_url = backed_up
    target = tmp_path / "target"

    restored = run(target, target_url, "restore", str(archive)).stdout

    assert restored.startswith("restored and verified:")
    assert (
        run(source, source_url, "restore", "--check", str(archive)).stdout.split(":", 1)[1]
        == restored.split(":", 1)[1]
    )
    # The restored instance works: the next ticket continues the numbering.
    script = (
        "from atiende.tickets.models import Ticket; from atiende.tickets.numbering import next_ticket_number;"
        "print(Ticket.objects.order_by('-number').first().number, next_ticket_number())"
    )
    last, following = run(target, target_url, "shell", "-v0", "-c", script).stdout.split()[-2:]
    assert int(following) == int(last) + 1


def test_restore_refuses_a_non_empty_instance_and_check_finds_tampering(backed_up):
    source, source_url, archive, _target_url = backed_up

    refused = run(source, source_url, "restore", str(archive), check=False)
    assert refused.returncode != 0
    assert "restore into an empty one" in refused.stderr

    assert run(source, source_url, "restore", "--check", str(archive)).stdout.startswith("matches the backup")
    stored = next(path for path in (source / "media").rglob("*") if path.is_file())
    original = stored.read_bytes()
    stored.write_bytes(b"changed")
    try:
        tampered = run(source, source_url, "restore", "--check", str(archive), check=False)
    finally:
        stored.write_bytes(original)
    assert tampered.returncode != 0
    assert "file differs" in tampered.stderr


def test_a_damaged_archive_is_refused_with_a_clear_message(tmp_path):
    broken = tmp_path / "broken.tar.gz"
    import tarfile

    with tarfile.open(broken, "w:gz"):
        pass
    result = run(tmp_path / "target", "", "restore", str(broken), check=False)
    assert result.returncode != 0
    assert "not an Atiende backup" in result.stderr
