"""`atiende backup` and `atiende restore`: one archive with a consistent copy of the
database, every stored file, and a manifest (row counts per table, sha256 per file) that
the restore checks the new instance against.

Consistency: on PostgreSQL the counts, the list of files and pg_dump all read one
exported snapshot; on SQLite the online backup API copies a consistent database and the
counts and file list are read from that copy. Files are written before the rows that
name them are committed, so every file a copied row names exists when it is read.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections

FORMAT_VERSION = 1


class BackupError(Exception):
    pass


@dataclass
class Manifest:
    created_at: str
    engine: str
    counts: dict[str, int]
    files: dict[str, str]  # storage name -> sha256
    version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        return cls(**json.loads(data))


@dataclass
class Report:
    ok: bool
    tables: int
    rows: int
    files: int
    problems: list[str] = field(default_factory=list)


def _tables() -> list[str]:
    return sorted({model._meta.db_table for model in apps.get_models() if model._meta.managed})


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


# --- backup ----------------------------------------------------------------------------


def create_backup(destination: Path) -> Manifest:
    """Write the archive to `destination` (a .tar.gz) and return its manifest."""
    with tempfile.TemporaryDirectory(prefix="atiende-backup-") as work:
        workdir = Path(work)
        if _engine() == "postgresql":
            counts, files = _dump_postgresql(workdir / "database.pgdump")
            db_name = "database.pgdump"
        else:
            counts, files = _dump_sqlite(workdir / "database.sqlite3")
            db_name = "database.sqlite3"
        checksums: dict[str, str] = {}
        with tarfile.open(destination, "w:gz") as archive:
            archive.add(workdir / db_name, arcname=db_name)
            for name in files:
                with default_storage.open(name, "rb") as stored:
                    content = stored.read()
                checksums[name] = hashlib.sha256(content).hexdigest()
                _add_bytes(archive, f"files/{name}", content)
            manifest = Manifest(
                created_at=datetime.datetime.now(datetime.UTC).isoformat(),
                engine=_engine(),
                counts=counts,
                files=checksums,
            )
            _add_bytes(archive, "manifest.json", manifest.to_json())
    return manifest


def _dump_sqlite(target: Path) -> tuple[dict[str, int], list[str]]:
    source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)
        counts = {table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in _tables()}  # noqa: S608
        files = [row[0] for row in copy.execute(f'SELECT file FROM "{_attachment_table()}" ORDER BY id')]  # noqa: S608
    finally:
        copy.close()
        source.close()
    return counts, files


def _dump_postgresql(target: Path) -> tuple[dict[str, int], list[str]]:
    with connections["default"].cursor() as cursor:
        connections["default"].ensure_connection()
        raw = connections["default"].connection
        assert raw is not None  # noqa: S101 - ensured above
        raw.autocommit = False
        try:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = {}
            for table in _tables():
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
                counts[table] = cursor.fetchone()[0]
            cursor.execute(f'SELECT file FROM "{_attachment_table()}" ORDER BY id')  # noqa: S608
            files = [row[0] for row in cursor.fetchall()]
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(target),
                ]
            )
        finally:
            raw.rollback()
            raw.autocommit = True
    return counts, files


def _attachment_table() -> str:
    return str(apps.get_model("tickets", "Attachment")._meta.db_table)


# --- restore ---------------------------------------------------------------------------


def restore_backup(source: Path) -> Report:
    """Restore the archive into this instance, which must be empty, then verify it."""
    with tarfile.open(source, "r:gz") as archive:
        manifest = Manifest.from_json(_read(archive, "manifest.json"))
        if manifest.engine != _engine():
            raise BackupError(
                f"this backup is of a {manifest.engine} database and this instance uses {_engine()}"
            )
        _ensure_empty()
        with tempfile.TemporaryDirectory(prefix="atiende-restore-") as work:
            if manifest.engine == "postgresql":
                dump = Path(work) / "database.pgdump"
                dump.write_bytes(_read(archive, "database.pgdump"))
                connections.close_all()
                _run(
                    [
                        "pg_restore",
                        "--no-owner",
                        "--no-privileges",
                        "--exit-on-error",
                        "--dbname",
                        _dbname(),
                        str(dump),
                    ]
                )
            else:
                connections.close_all()
                target = Path(str(settings.DATABASES["default"]["NAME"]))
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{target}{suffix}").unlink(missing_ok=True)
                with _member(archive, "database.sqlite3") as stream, open(target, "wb") as out:
                    shutil.copyfileobj(stream, out)
        for name in manifest.files:
            saved = default_storage.save(name, ContentFile(_read(archive, f"files/{name}")))
            if saved != name:
                raise BackupError(f"the file {name} already existed in the storage (saved as {saved})")
    return verify(manifest)


def check_backup(source: Path) -> Report:
    """Compare this instance with the manifest of an archive, restoring nothing."""
    with tarfile.open(source, "r:gz") as archive:
        return verify(Manifest.from_json(_read(archive, "manifest.json")))


def verify(manifest: Manifest) -> Report:
    """Compare this instance with a manifest: row counts per table, sha256 per file."""
    problems = []
    with connection.cursor() as cursor:
        for table, expected in manifest.counts.items():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
            found = cursor.fetchone()[0]
            if found != expected:
                problems.append(f"{table}: {found} rows, expected {expected}")
    for name, digest in manifest.files.items():
        try:
            with default_storage.open(name, "rb") as stored:
                found_digest = hashlib.sha256(stored.read()).hexdigest()
        except FileNotFoundError:
            problems.append(f"file missing: {name}")
            continue
        if found_digest != digest:
            problems.append(f"file differs: {name}")
    return Report(
        not problems, len(manifest.counts), sum(manifest.counts.values()), len(manifest.files), problems
    )


def _ensure_empty() -> None:
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        if "django_migrations" in existing:
            cursor.execute("SELECT COUNT(*) FROM django_migrations")
            if cursor.fetchone()[0]:
                raise BackupError("this instance already has a database; restore into an empty one")


# --- helpers ---------------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    db: Any = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _dbname() -> str:
    return str(settings.DATABASES["default"]["NAME"])


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    archive.addfile(info, io.BytesIO(content))


def _read(archive: tarfile.TarFile, name: str) -> bytes:
    with _member(archive, name) as stream:
        return stream.read()


@contextmanager
def _member(archive: tarfile.TarFile, name: str) -> Iterator[io.BufferedReader]:
    try:
        stream = archive.extractfile(name)
    except KeyError:
        raise BackupError(
            f"the archive has no {name}: it is not an Atiende backup or it is damaged"
        ) from None
    if stream is None:
        raise BackupError(f"{name} in the archive is not a file")
    with stream:
        yield stream  # type: ignore[misc]
