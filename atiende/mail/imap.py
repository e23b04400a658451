"""IMAP polling: fetch each mailbox's unseen messages, store them, then mark them done.

The order is what keeps mail from being lost: a message is read with BODY.PEEK (which
leaves it unseen), stored raw and processed, and only then flagged \\Seen or moved to the
mailbox's `move_to` folder. A crash in between leaves it unseen: the next poll fetches it
again and `store` recognises it (Message-ID or content hash), so it never makes a second
ticket. Call these functions outside a database transaction (the command, a periodic task,
an admin action), so that "stored" means committed.

Built on the standard library's imaplib rather than imap-tools: we need few commands
(SEARCH, FETCH, STORE, MOVE or COPY + EXPUNGE), we want the message's raw bytes exactly as
the server holds them (not a parsed and re-serialised copy) and the server's own words when
something fails, and each step is visible here, in the order that matters.
"""

from __future__ import annotations

import base64
import imaplib
import logging
import re
import socket
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone

from atiende.mail import oauth
from atiende.mail.inbound import process, process_pending, store
from atiende.mail.models import Mailbox, MailboxAuth, MailboxSecurity

logger = logging.getLogger(__name__)

TIMEOUT = 60  # seconds for any one network operation
MAX_MESSAGES_PER_POLL = 500  # the rest waits for the next poll: one poll stays short
LOCK_SECONDS = 30 * 60  # a poll that died without releasing its lock stops blocking after this


class PollFailed(Exception):
    """The mailbox could not be read (connection, sign-in, folder); the text says why."""


@dataclass
class PollResult:
    mailbox: str
    fetched: int = 0
    new: int = 0
    errors: int = 0
    error: str = ""
    outcomes: list[str] = field(default_factory=list)  # what became of each stored message
    problems: list[str] = field(default_factory=list)  # messages left for the next poll, and why
    busy: bool = False  # another poll of this mailbox was running: nothing was done

    @property
    def ok(self) -> bool:
        return not self.error and not self.errors

    def summary(self) -> str:
        if self.busy:
            return f"{self.mailbox}: skipped, another poll of it is running"
        line = f"{self.mailbox}: fetched {self.fetched}, new {self.new}, errors {self.errors}"
        return f"{line}; {self.error}" if self.error else line


def poll_all() -> int:
    """Poll every active mailbox, then process anything stored but left unprocessed by a
    worker that died; return how many new messages were stored."""
    new = sum(result.new for result in poll_mailboxes(Mailbox.objects.filter(is_active=True)))
    process_pending()
    return new


def poll_mailboxes(mailboxes: Iterable[Mailbox]) -> list[PollResult]:
    """Poll each in turn; one that fails is recorded on it and does not stop the others."""
    return [poll_mailbox(mailbox) for mailbox in mailboxes]


def poll_mailbox(mailbox: Mailbox) -> PollResult:
    """Fetch the mailbox's unseen messages into Atiende; record when and how it went."""
    # One poll per mailbox at a time (a slow poll overlapping the next tick, or "Poll now"):
    # two pollers would fetch the same messages and race to process them.
    lock = f"atiende:mail:poll:{mailbox.pk}"
    if not cache.add(lock, "1", timeout=LOCK_SECONDS):
        return PollResult(mailbox.name, busy=True)
    try:
        return _poll_locked(mailbox)
    finally:
        cache.delete(lock)


def _poll_locked(mailbox: Mailbox) -> PollResult:
    result = PollResult(mailbox.name)
    try:
        with _connect(mailbox) as client:
            _poll(client, mailbox, result)
    except PollFailed as error:
        result.error = str(error)
    except (imaplib.IMAP4.error, OSError, ssl.SSLError) as error:
        result.error = f"IMAP: {_text(error)}"
    except Exception as error:  # a poll must never take the scheduler down with it
        logger.exception("mail.poll mailbox=%s failed", mailbox.name)
        result.error = f"{type(error).__name__}: {error}"
    if result.error or result.errors:
        logger.warning("mail.poll %s", result.summary())
    mailbox.last_polled_at = timezone.now()
    mailbox.last_error = result.error or "; ".join(result.problems[:3])
    mailbox.save(update_fields=["last_polled_at", "last_error"])
    return result


class _Session:
    """An open, signed-in IMAP connection; logs out (or just closes) on exit."""

    def __init__(self, client: imaplib.IMAP4) -> None:
        self.client = client

    def __enter__(self) -> imaplib.IMAP4:
        return self.client

    def __exit__(self, *exc: object) -> None:
        try:
            self.client.logout()
        except (imaplib.IMAP4.error, OSError):
            self.client.shutdown()


def tls_context() -> ssl.SSLContext:
    """Certificates are checked against the system's authorities (tests replace this)."""
    return ssl.create_default_context()


def _connect(mailbox: Mailbox) -> _Session:
    client: imaplib.IMAP4 | None = None
    try:
        if mailbox.security == MailboxSecurity.SSL:
            client = imaplib.IMAP4_SSL(mailbox.host, mailbox.port, ssl_context=tls_context(), timeout=TIMEOUT)
        else:
            client = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=TIMEOUT)
            if mailbox.security == MailboxSecurity.STARTTLS:
                client.starttls(ssl_context=tls_context())
    except (OSError, imaplib.IMAP4.error) as error:
        if client is not None:  # connected, but TLS could not be started
            client.shutdown()
        reason = error.strerror if isinstance(error, OSError) and error.strerror else _text(error)
        if isinstance(error, socket.gaierror | ConnectionRefusedError | TimeoutError):
            reason = f"{reason} ({type(error).__name__})"
        raise PollFailed(f"cannot connect to {mailbox.host}:{mailbox.port}: {reason}") from None
    session = _Session(client)
    try:
        _sign_in(client, mailbox)
    except BaseException:
        session.__exit__(None)
        raise
    return session


def _sign_in(client: imaplib.IMAP4, mailbox: Mailbox) -> None:
    if mailbox.auth != MailboxAuth.XOAUTH2:
        try:
            client.login(mailbox.username, mailbox.password)
        except imaplib.IMAP4.error as error:
            raise PollFailed(f"sign-in refused for {mailbox.username}: {_text(error)}") from None
        return
    kept = mailbox.oauth_access_token
    try:
        token = oauth.access_token(mailbox)
    except oauth.OAuthError as error:
        raise PollFailed(f"OAuth 2: {error}") from None
    try:
        _xoauth2(client, mailbox.username, token)
        return
    except imaplib.IMAP4.error as error:
        first_refusal = _text(error)
        if token != kept:  # refused although brand new: another refresh would not help
            raise PollFailed(f"XOAUTH2 sign-in refused for {mailbox.username}: {first_refusal}") from None
    # A kept token that should still be valid was refused (revoked, or the clocks
    # disagree): get a new one once before giving up.
    try:
        token = oauth.access_token(mailbox, force_refresh=True)
        _xoauth2(client, mailbox.username, token)
    except oauth.OAuthError as error:
        raise PollFailed(f"XOAUTH2 sign-in refused ({first_refusal}); OAuth 2: {error}") from None
    except imaplib.IMAP4.error as error:
        raise PollFailed(f"XOAUTH2 sign-in refused for {mailbox.username}: {_text(error)}") from None


def _xoauth2(client: imaplib.IMAP4, username: str, token: str) -> None:
    initial = oauth.xoauth2_string(username, token)
    answers = iter([initial])

    def respond(challenge: bytes) -> bytes:
        # On failure some servers send a JSON challenge first and expect an empty answer.
        return next(answers, b"")

    client.authenticate("XOAUTH2", respond)


def _poll(client: imaplib.IMAP4, mailbox: Mailbox, result: PollResult) -> None:
    capabilities = _capabilities(client)
    status, answer = client.select(_folder(mailbox.folder))
    if status != "OK":
        raise PollFailed(f"cannot open folder {mailbox.folder}: {_text(answer)}")
    status, answer = client.uid("SEARCH", "UNSEEN")
    if status != "OK":
        raise PollFailed(f"cannot search folder {mailbox.folder}: {_text(answer)}")
    uids = answer[0].decode().split() if answer and isinstance(answer[0], bytes) else []
    copied: list[str] = []  # moved by COPY: the originals are expunged at the end
    mark_done = _mover(client, mailbox, capabilities, copied)
    queue_slug = mailbox.queue.slug
    try:
        for uid in uids[:MAX_MESSAGES_PER_POLL]:
            raw = _fetch(client, uid)
            if raw is None:  # expunged meanwhile by someone else
                continue
            result.fetched += 1
            step = "not stored"
            try:
                record, is_new = store(raw, source=f"imap:{mailbox.name}"[:80], mailbox=mailbox)
                step = "stored, not processed"
                outcome = process(record, queue_slug=queue_slug)
            except Exception as error:
                # Left unseen: the next poll fetches it again and `store` knows it if it has it.
                logger.exception("mail.poll mailbox=%s uid=%s %s", mailbox.name, uid, step)
                result.errors += 1
                result.problems.append(f"UID {uid} {step}: {type(error).__name__}: {error}")
                continue
            result.new += int(is_new)
            result.outcomes.append(outcome.text)
            mark_done(uid)
    finally:
        if copied:
            _expunge(client, capabilities, copied)


def _fetch(client: imaplib.IMAP4, uid: str) -> bytes | None:
    # PEEK: reading must not mark it seen; that happens once it is stored.
    status, answer = client.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        raise PollFailed(f"cannot fetch UID {uid}: {_text(answer)}")
    for part in answer:
        if isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], bytes):
            return part[1]
    return None


def _mover(
    client: imaplib.IMAP4, mailbox: Mailbox, capabilities: set[str], copied: list[str]
) -> Callable[[str], None]:
    """What "done" means for this mailbox: flagged \\Seen, or moved to `move_to`."""

    def flag_seen(uid: str) -> None:
        _ok(client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Seen)"), f"cannot flag UID {uid} seen")

    if not mailbox.move_to:
        return flag_seen
    target = _folder(mailbox.move_to)
    created: list[bool] = []

    def move(uid: str) -> None:
        flag_seen(uid)  # read in the folder it lands in, like any mail someone dealt with
        command = "MOVE" if "MOVE" in capabilities else "COPY"
        status, answer = client.uid(command, uid, target)
        if status != "OK" and b"TRYCREATE" in b" ".join(a for a in answer if isinstance(a, bytes)):
            if not created:
                created.append(True)
                client.create(target)
            status, answer = client.uid(command, uid, target)
        _ok((status, answer), f"cannot move UID {uid} to {mailbox.move_to}")
        if command == "COPY":
            _ok(
                client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)"),
                "cannot mark the original deleted",
            )
            copied.append(uid)

    return move


def _expunge(client: imaplib.IMAP4, capabilities: set[str], uids: list[str]) -> None:
    """After COPY: remove the originals. With UIDPLUS only ours; without it, plain EXPUNGE
    (which also removes what others marked deleted in the folder: servers without MOVE and
    UIDPLUS are rare)."""
    if "UIDPLUS" in capabilities:
        client.uid("EXPUNGE", ",".join(uids))
    else:
        client.expunge()


def _capabilities(client: imaplib.IMAP4) -> set[str]:
    # After sign-in the server may announce more (MOVE, UIDPLUS) than in its greeting.
    status, answer = client.capability()
    if status == "OK" and answer and isinstance(answer[0], bytes):
        return set(answer[0].decode(errors="replace").upper().split())
    return {str(capability).upper() for capability in client.capabilities}


def _ok(response: tuple[str, list[object]], what: str) -> None:
    status, answer = response
    if status != "OK":
        raise PollFailed(f"{what}: {_text(answer)}")


def _folder(name: str) -> str:
    """A folder name as IMAP wants it: modified UTF-7 (RFC 3501, 5.1.3), quoted."""
    encoded: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            packed = base64.b64encode("".join(pending).encode("utf-16-be")).decode("ascii")
            encoded.append("&" + packed.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for character in name:
        if " " <= character <= "~":
            flush()
            encoded.append("&-" if character == "&" else character)
        else:
            pending.append(character)
    flush()
    text = "".join(encoded)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(value: object) -> str:
    """The server's answer as readable text (imaplib hands over bytes, lists or exceptions)."""
    if isinstance(value, BaseException):
        value = value.args[0] if value.args else str(value)
    if isinstance(value, list | tuple):
        value = " ".join(_text(item) for item in value if item is not None)
    if isinstance(value, bytes):
        value = value.decode(errors="replace")
    return re.sub(r"\s+", " ", str(value)).strip()[:500]
