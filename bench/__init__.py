"""Data generator and benchmarks; results in docs/benchmarks.md."""

from __future__ import annotations

import os


def setup_django() -> None:
    """The real settings (DATABASE_URL chooses the database), outside the test runner."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atiende.settings")
    os.environ.setdefault("ATIENDE_DEMO", "true")
    import django

    django.setup()
