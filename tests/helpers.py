import random
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def free_port() -> int:
    """A free port below 32768 (higher ones collide with outgoing connections here)."""
    for _ in range(100):
        port = random.randint(20000, 32000)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port found")


@contextmanager
def made_elsewhere(kept: Any) -> Iterator[None]:
    """What the block makes, as if another process had made it: this process's copy of
    `kept`, read before the block, is taken as current after it (as a real process's copy
    can be until the shared version reaches it)."""
    kept.load()
    before = kept._last
    assert before is not None
    yield
    kept._last = type(before)(kept.version(), before.read_at, before.value)
