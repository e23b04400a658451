"""A periodic job runs at most once at a time, however many beats or workers there are.

The locks live in the cache: Redis when `REDIS_URL` is set, so they hold across machines;
process memory otherwise, which suits the single in-process runner of the demo.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache


@contextmanager
def exclusive_run(name: str, *, hold: float, min_gap: float = 0) -> Iterator[bool]:
    """Yield True when this run may go ahead, False when another run of `name` is going on
    or, with `min_gap`, started less than `min_gap` seconds ago.

    `hold` bounds how long a run that died keeps others out. The gap lets a second beat's
    tick for the same period find the work done instead of repeating it; a run without a
    gap (a command, a test) neither checks it nor starts one.
    """
    running_key = f"atiende:jobs:running:{name}"
    recent_key = f"atiende:jobs:recent:{name}"
    if min_gap > 0 and cache.get(recent_key) is not None:
        yield False
        return
    token = uuid.uuid4().hex
    if not cache.add(running_key, token, timeout=math.ceil(hold)):
        yield False
        return
    if min_gap > 0:
        cache.set(recent_key, token, timeout=math.ceil(min_gap))
    try:
        yield True
    finally:
        if cache.get(running_key) == token:  # not expired and taken by another run meanwhile
            cache.delete(running_key)
