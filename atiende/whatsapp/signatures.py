"""Meta signs every webhook body: `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body
with the app secret>`. A body is believed only when that matches, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(body: bytes, secret: str) -> str:
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def is_valid(body: bytes, header: str, secret: str) -> bool:
    if not secret or not header.startswith(PREFIX):
        return False
    return hmac.compare_digest(sign(body, secret).encode(), header.strip().encode("ascii", "replace"))


def same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
