"""A periodic job runs at most once at a time, however many beats or workers there are.

The lock lives in the cache: Redis when `REDIS_URL` is set, so it holds across machines;
process memory otherwise, which suits the single in-process runner of the demo.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache


@contextmanager
def exclusive_run(name: str, *, hold: float, min_gap: float = 0) -> Iterator[bool]:
    """Yield True when this run got the lock, False when another run holds it.

    `hold` bounds how long a run that died keeps the lock. After a run ends the lock is
    kept until `min_gap` seconds after its start, so a second beat's tick for the same
    period finds it taken instead of repeating the work.
    """
    key = f"atiende:jobs:lock:{name}"
    token = uuid.uuid4().hex
    if not cache.add(key, token, timeout=math.ceil(hold)):
        yield False
        return
    started = time.monotonic()
    try:
        yield True
    finally:
        remaining = min_gap - (time.monotonic() - started)
        if cache.get(key) == token:  # not expired and taken over meanwhile
            if remaining >= 1:
                cache.touch(key, math.ceil(remaining))
            else:
                cache.delete(key)
