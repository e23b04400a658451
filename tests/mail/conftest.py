"""Mail servers for the mail tests: see tests/mail/servers.py.

`dovecot` and `token_server` start once per test module and are emptied after each test;
`smtp_sink` starts per test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.mail.servers import Dovecot, SmtpSink, TokenServer


@pytest.fixture(scope="module")
def _token_server() -> Iterator[TokenServer]:
    server = TokenServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def _dovecot(_token_server: TokenServer) -> Iterator[Dovecot]:
    server = Dovecot.start(_token_server.introspection_url)
    yield server
    server.stop()


@pytest.fixture
def token_server(_token_server: TokenServer) -> Iterator[TokenServer]:
    """The OAuth 2 token endpoint (`token_url`) that dovecot also asks about access tokens."""
    yield _token_server
    _token_server.reset()


@pytest.fixture
def dovecot(_dovecot: Dovecot, token_server: TokenServer) -> Iterator[Dovecot]:
    """A real dovecot on 127.0.0.1:`port`, plain IMAP; users in servers.USERS; empty mailboxes."""
    yield _dovecot
    _dovecot.empty()


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """An SMTP server on 127.0.0.1:`port` that keeps what it receives (`messages`, `wait_for`)."""
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()
