"""A Graph API stand-in on loopback: records what is sent, serves media with their hashes,
and fails on demand."""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.helpers import free_port

VERSION = "v21.0"


@dataclass
class GraphStandIn:
    port: int
    token: str
    sent: list[dict[str, Any]] = field(default_factory=list)
    uploads: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    wrong_hash: set[str] = field(default_factory=set)
    failures: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    unauthorized: int = 0
    # While `holding`, a send is recorded (Meta has it) but answered only after `release`.
    holding: bool = False
    accepted_held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{VERSION}"

    def add_media(self, media_id: str, content: bytes, mime_type: str) -> str:
        """Serve a file; returns its SHA-256 (what Meta puts in the webhook)."""
        self.media[media_id] = (content, mime_type)
        return hashlib.sha256(content).hexdigest()

    def fail_next(self, status: int = 500, code: int = 131000, message: str = "Something went wrong") -> None:
        self.failures.append(
            (status, {"error": {"message": message, "type": "OAuthException", "code": code}})
        )


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict[str, Any]) -> None:
        self._answer(status, json.dumps(data).encode())

    def _authorized(self) -> bool:
        standin = self.server.standin
        if self.headers.get("Authorization") == f"Bearer {standin.token}":
            return True
        standin.unauthorized += 1
        self._json(401, {"error": {"message": "Invalid OAuth access token", "code": 190}})
        return False

    def _failure(self) -> bool:
        standin = self.server.standin
        with standin.lock:
            failure = standin.failures.pop(0) if standin.failures else None
        if failure is not None:
            self._json(*failure)
            return True
        return False

    def do_GET(self) -> None:
        standin = self.server.standin
        if not self._authorized() or self._failure():
            return
        parts = self.path.strip("/").split("/")
        if parts[0] == "files" and len(parts) == 2 and parts[1] in standin.media:
            content, mime = standin.media[parts[1]]
            self._answer(200, content, mime)
        elif parts[0] == VERSION and len(parts) == 2 and parts[1] in standin.media:
            content, mime = standin.media[parts[1]]
            digest = hashlib.sha256(content + (b"x" if parts[1] in standin.wrong_hash else b"")).hexdigest()
            self._json(
                200,
                {
                    "url": f"http://127.0.0.1:{standin.port}/files/{parts[1]}",
                    "mime_type": mime,
                    "sha256": digest,
                    "file_size": len(content),
                    "id": parts[1],
                    "messaging_product": "whatsapp",
                },
            )
        else:
            self._json(404, {"error": {"message": "Unknown media", "code": 100}})

    def do_POST(self) -> None:
        standin = self.server.standin
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length)
        if not self._authorized() or self._failure():
            return
        parts = self.path.strip("/").split("/")
        if len(parts) == 3 and parts[2] == "messages":
            with standin.lock:
                wamid = f"wamid.OUT{next(standin.counter)}"
                standin.sent.append({"phone_number_id": parts[1], "wamid": wamid, **json.loads(data)})
            if standin.holding:
                standin.accepted_held.set()
                standin.release.wait(120)
            self._json(200, {"messaging_product": "whatsapp", "messages": [{"id": wamid}]})
        elif len(parts) == 3 and parts[2] == "media":
            with standin.lock:
                media_id = f"up{next(standin.counter)}"
                standin.uploads.append({"id": media_id, "size": len(data), "body": data})
            self._json(200, {"id": media_id})
        else:
            self._json(404, {"error": {"message": "Unknown path", "code": 100}})


class _Server(ThreadingHTTPServer):
    standin: GraphStandIn


def start(token: str) -> tuple[GraphStandIn, _Server]:
    port = free_port()
    server = _Server(("127.0.0.1", port), _Handler)
    server.standin = GraphStandIn(port=port, token=token)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.standin, server
