"""A small SMTP server on loopback that answers as told: it accepts mail, or refuses the
recipient or the message with a given reply, the way a real server does on the wire."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

PORTS = range(14425, 14450)


@dataclass
class Script:
    """The replies to RCPT TO and to the end of DATA; `received` keeps accepted messages."""

    rcpt: str = "250 2.1.5 Ok"
    data: str = "250 2.0.0 Ok: queued"
    received: list[bytes] = field(default_factory=list)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        script = self.server.script
        self.reply("220 sink.test ESMTP")
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 sink.test")
            elif command.startswith("MAIL FROM"):
                self.reply("250 2.1.0 Ok")
            elif command.startswith("RCPT TO"):
                self.reply(script.rcpt)
            elif command == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                message = b""
                while (chunk := self.rfile.readline()) not in {b".\r\n", b""}:
                    message += chunk
                if script.data.startswith("250"):
                    script.received.append(message)
                self.reply(script.data)
            elif command == "QUIT":
                self.reply("221 2.0.0 Bye")
                return
            else:  # RSET, NOOP
                self.reply("250 2.0.0 Ok")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    script: Script


@contextmanager
def smtp_server(script: Script) -> Iterator[int]:
    """Serve `script` on the first free port of our range; yields the port."""
    for port in PORTS:
        try:
            server = _Server(("127.0.0.1", port), _Handler)
        except OSError:
            continue
        break
    else:
        raise RuntimeError("no free port for the SMTP test server")
    server.script = script
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        server.shutdown()
        server.server_close()
