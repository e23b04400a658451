import random
import socket


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
