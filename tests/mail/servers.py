"""Real mail servers for tests: Debian's dovecot (IMAP), a small OAuth 2 endpoint, an SMTP sink.

Each listens on 127.0.0.1 on a port from the range these tests may use (14300-14399):
dovecot 14300-14339, the OAuth endpoint 14340-14369, the SMTP sink 14370-14399. A port
that is taken (another test process) is skipped.
"""

from __future__ import annotations

import imaplib
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

DOVECOT_PORTS = range(14300, 14340)
OAUTH_PORTS = range(14340, 14370)
SMTP_PORTS = range(14370, 14400)
MAIL_UID = 65534  # nobody: dovecot refuses to give mail to root

# The users dovecot knows, with their passwords. `oauth@mail.test` also signs in with XOAUTH2.
USERS = {"soporte@mail.test": "clave-soporte", "redes@mail.test": "clave-redes", "oauth@mail.test": "x"}


def free_port(candidates: range) -> int:
    """The first port of `candidates` nobody listens on; each pytest-xdist worker starts
    looking at a different place, so parallel workers rarely reach for the same one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    shift = (int(worker) if worker.isdigit() else 0) * 4 % len(candidates)
    ordered: list[int] = [*candidates[shift:], *candidates[:shift]]
    for port in ordered:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {candidates}")


def wait_for_greeting(port: int, greeting: bytes, timeout: float = 10.0) -> None:
    """Wait until the server on `port` greets with `greeting`: ours, not another test's."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
                answer = connection.recv(200)
        except OSError:
            time.sleep(0.05)
            continue
        if greeting in answer:
            return
        raise TimeoutError(f"another server answers on 127.0.0.1:{port}: {answer!r}")
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


# --- OAuth 2: the token endpoint (refresh grant) and the introspection dovecot asks ---------


@dataclass
class TokenServer:
    """Issues access tokens for refresh tokens it knows, and tells dovecot which are valid."""

    port: int = 0
    expires_in: int = 3600
    rotate: bool = False
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # refresh token -> user
    access_tokens: dict[str, str] = field(default_factory=dict)  # access token -> user
    requests: list[dict[str, str]] = field(default_factory=list)  # what /token received
    _issued: int = 0
    _server: ThreadingHTTPServer | None = None

    @property
    def token_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/token"

    @property
    def introspection_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/introspect"

    def grant(self, user: str) -> str:
        """A refresh token for `user`, as the provider's consent screen would give."""
        self._issued += 1
        token = f"refresh-{self._issued}"
        self.refresh_tokens[token] = user
        return token

    def revoke_access(self) -> None:
        self.access_tokens.clear()

    def reset(self) -> None:
        self.refresh_tokens.clear()
        self.access_tokens.clear()
        self.requests.clear()
        self.expires_in, self.rotate, self._issued = 3600, False, 0

    def start(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path == "/token":
                    self.answer(*owner.token(form))
                elif self.path == "/introspect":
                    self.answer(200, owner.introspect(form.get("token", "")))
                else:
                    self.answer(404, {"error": "not_found"})

            def answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        for attempt in range(5):
            self.port = free_port(OAUTH_PORTS)
            try:
                self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
                break
            except OSError:
                if attempt == 4:
                    raise
        assert self._server is not None
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        self.requests.append(form)
        user = self.refresh_tokens.get(form.get("refresh_token", ""))
        if form.get("grant_type") != "refresh_token" or user is None:
            return 400, {"error": "invalid_grant", "error_description": "The refresh token has expired."}
        self._issued += 1
        access = f"access-{self._issued}"
        self.access_tokens[access] = user
        body: dict[str, Any] = {"access_token": access, "token_type": "Bearer", "expires_in": self.expires_in}
        if self.rotate:
            del self.refresh_tokens[form["refresh_token"]]
            body["refresh_token"] = self.grant(user)
        return 200, body

    def introspect(self, token: str) -> dict[str, Any]:
        user = self.access_tokens.get(token)
        return {"active": True, "username": user} if user else {"active": False}


# --- dovecot ------------------------------------------------------------------------------

DOVECOT_CONF = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
login_greeting = {greeting}
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
mail_location = maildir:{root}/mail/%u
mail_uid = {uid}
mail_gid = {uid}
first_valid_uid = {uid}
default_internal_user = dovecot
default_login_user = dovenull
auth_cache_size = 0
auth_failure_delay = 0
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN {root}/passwd
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/oauth2.conf
}}
userdb {{
  driver = static
  args = uid={uid} gid={uid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service anvil {{
  chroot =
  # No growing delay after failed sign-ins: tests fail them on purpose.
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""

OAUTH2_CONF = """\
introspection_mode = post
introspection_url = {introspection_url}
username_attribute = username
active_attribute = active
active_value = true
"""


@dataclass
class Dovecot:
    """A dovecot of our own: its config, users and maildirs live in `root`.

    `port` is plain IMAP (STARTTLS offered), `tls_port` IMAPS; the certificate, for
    127.0.0.1, is `root`/cert.pem (trust it with `ssl.create_default_context(cafile=...)`).
    """

    root: Path
    port: int = 0
    tls_port: int = 0

    @property
    def greeting(self) -> str:
        return f"Atiende test dovecot {self.root.name}"

    process: subprocess.Popen[bytes] | None = None

    @classmethod
    def start(cls, introspection_url: str) -> Dovecot:
        if shutil.which("dovecot") is None:
            raise RuntimeError(
                "dovecot is not installed: apt-get install -y dovecot-imapd (make browser-deps)"
            )
        # Short path: dovecot's sockets live under it (a socket path is at most 108 bytes).
        root = Path(tempfile.mkdtemp(prefix="dovecot-"))
        root.chmod(0o755)
        for folder in ("mail", "home", "run", "state"):
            (root / folder).mkdir()
        for folder in ("mail", "home"):
            os.chown(root / folder, MAIL_UID, MAIL_UID)
        (root / "passwd").write_text("".join(f"{user}:{password}::\n" for user, password in USERS.items()))
        (root / "oauth2.conf").write_text(OAUTH2_CONF.format(introspection_url=introspection_url))
        _self_signed_certificate(root)
        server = cls(root)
        for attempt in range(5):
            server.port = free_port(DOVECOT_PORTS)
            server.tls_port = free_port(range(server.port + 1, DOVECOT_PORTS.stop))
            (root / "dovecot.conf").write_text(
                DOVECOT_CONF.format(
                    root=root,
                    uid=MAIL_UID,
                    port=server.port,
                    tls_port=server.tls_port,
                    greeting=server.greeting,
                )
            )
            server.process = subprocess.Popen(
                ["dovecot", "-F", "-c", str(root / "dovecot.conf")],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            try:
                wait_for_greeting(server.port, server.greeting.encode())
                return server
            except TimeoutError:
                output = server.stop_process()
                if attempt == 4:
                    raise RuntimeError(f"dovecot did not start: {output}\n{server.log()}") from None
        raise AssertionError("unreachable")

    def stop_process(self) -> str:
        if self.process is None:
            return ""
        self.process.terminate()
        try:
            output, _ = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        self.process = None
        return output.decode(errors="replace") if output else ""

    def stop(self) -> None:
        self.stop_process()
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # -- helpers for tests: put mail in, look at what is there --

    def connect(self, user: str) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(user, USERS[user])
        return client

    def deliver(self, user: str, raw: bytes, folder: str = "INBOX", *, seen: bool = False) -> None:
        """Put a message in a folder (IMAP APPEND), as the mail server would on delivery."""
        client = self.connect(user)
        try:
            client.create(_quoted(folder))  # NO when it exists: fine
            # typeshed says append returns a str; imaplib returns (status, data) like the rest.
            status, answer = cast(
                tuple[str, list[Any]],
                client.append(
                    _quoted(folder), "(\\Seen)" if seen else "", imaplib.Time2Internaldate(time.time()), raw
                ),
            )
            assert status == "OK", answer
        finally:
            client.logout()

    def messages(self, user: str, folder: str = "INBOX") -> list[tuple[set[str], bytes]]:
        """The flags and raw bytes of every message in a folder (empty if it does not exist)."""
        client = self.connect(user)
        try:
            status, _ = client.select(_quoted(folder), readonly=True)
            if status != "OK":
                return []
            _, data = client.uid("SEARCH", "ALL")
            found = []
            for uid in data[0].split():
                _, parts = client.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
                head, raw = parts[0]
                flags = re.search(rb"FLAGS \(([^)]*)\)", head)
                found.append((set(flags[1].decode().split()) if flags else set(), raw))
            return found
        finally:
            client.logout()

    def empty(self) -> None:
        """Remove every user's mail (between tests)."""
        for user_dir in (self.root / "mail").iterdir():
            shutil.rmtree(user_dir, ignore_errors=True)


def _self_signed_certificate(root: Path) -> None:
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(root / "key.pem"),
            "-out",
            str(root / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- SMTP sink ----------------------------------------------------------------------------


class SmtpSink:
    """Collects every message sent to 127.0.0.1:`port`.

    `messages` is a list of `email.message.EmailMessage`; `envelopes` keeps the SMTP
    envelope (mail_from, rcpt_tos) of each; `wait_for(count, timeout)` blocks until that
    many arrived and returns them.
    """

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.port = 0
        self._arrived = threading.Condition()
        self._controller: Controller | None = None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        message = BytesParser(policy=policy.default).parsebytes(content)
        assert isinstance(message, EmailMessage)
        with self._arrived:
            self.messages.append(message)
            self.envelopes.append((str(envelope.mail_from), [str(rcpt) for rcpt in envelope.rcpt_tos]))
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> None:
        for attempt in range(5):
            self.port = free_port(SMTP_PORTS)
            controller = Controller(self, hostname="127.0.0.1", port=self.port)
            try:
                controller.start()
            except Exception:
                if attempt == 4:
                    raise
                continue
            self._controller = controller
            return

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    def clear(self) -> None:
        with self._arrived:
            self.messages.clear()
            self.envelopes.clear()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.messages) >= count, timeout):
                raise TimeoutError(f"{len(self.messages)} of {count} messages arrived in {timeout} s")
            return list(self.messages)
