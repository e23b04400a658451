"""Tests that need Redis or PostgreSQL skip where those are not running, except in CI,
where both always run: there a missing service fails the test instead of hiding it."""

import os

import pytest


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)
