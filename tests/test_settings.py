import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from atiende.settings import env_bool, env_int, env_list, env_str


def test_booleans_accept_the_usual_words(monkeypatch):
    for word, value in [
        ("true", True),
        ("1", True),
        ("on", True),
        ("false", False),
        ("0", False),
        ("", True),
    ]:
        monkeypatch.setenv("ATIENDE_FLAG", word)
        assert env_bool("ATIENDE_FLAG", True) is value


def test_a_wrong_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("ATIENDE_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="ATIENDE_FLAG"):
        env_bool("ATIENDE_FLAG", False)
    monkeypatch.setenv("ATIENDE_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="ATIENDE_NUMBER"):
        env_int("ATIENDE_NUMBER", 1)


def test_secrets_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("ATIENDE_PASSWORD_FILE", str(secret))

    assert env_str("ATIENDE_PASSWORD") == "s3cret"


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " a.example.com, b.example.com ,")

    assert env_list("ALLOWED_HOSTS") == ["a.example.com", "b.example.com"]


def _run_check(extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATIENDE_", "DJANGO_"))}
    env.pop("DEBUG", None)
    env.pop("SECRET_KEY", None)
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "atiende", "check", *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_production_settings_pass_the_deploy_check():
    result = _run_check(
        {
            "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789-xyz",
            "ALLOWED_HOSTS": "soporte.example.com",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_without_a_secret_key_production_refuses_to_start():
    result = _run_check({})

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
