"""atiende.mail.authentication: which mail-server results and DKIM signatures vouch for a From.

Every message here is raw mail as a server hands it over: the trusted server's header on top,
then what the sender wrote (which may include forged Authentication-Results of its own).
"""

from __future__ import annotations

import base64
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator

import dkim  # type: ignore[import-untyped]
import dns.message
import dns.rdatatype
import dns.rrset
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured

from atiende.mail.authentication import (
    ServerVerdict,
    parse_results_header,
    resolver_address,
    txt_lookup,
    verify_dkim,
    verify_sender,
)

MX = "mx.provider.com"
ENGINEER = "ingeniero@provider.com"
HOP = "Received: from mail.sender.example (mail.sender.example [192.0.2.7])\r\n\tby mx.provider.com"
SENT = (
    "From: Ingeniero <ingeniero@provider.com>\r\n"
    "To: soporte@atiende.test\r\n"
    "Subject: Re: [#42] Sin internet\r\n"
    "Message-ID: <reply-1@provider.com>\r\n"
    "Date: Sun, 06 Dec 2026 10:00:00 +0000\r\n"
)
BODY = "Ya quedó el enlace.\r\n"


def mail(*top: str, sent: str = SENT, body: str = BODY) -> bytes:
    """`top`: header lines the receiving servers added; `sent`: the headers the sender wrote."""
    return ("".join(line + "\r\n" for line in top) + sent + "\r\n" + body).encode()


@pytest.fixture(autouse=True)
def _trust_the_mx(settings):
    settings.ATIENDE_MAIL_TRUSTED_AUTHSERV_IDS = [MX]
    settings.ATIENDE_MAIL_VERIFY_DKIM = False
    settings.ATIENDE_MAIL_ALIGNMENT = "relaxed"


# --- what verifies -------------------------------------------------------------------------

GMAIL_STYLE = (
    "Authentication-Results: mx.provider.com;\r\n"
    "       dkim=pass header.i=@provider.com header.s=s1 header.b=Ab+/cD;\r\n"
    "       spf=pass (mx.provider.com: domain of bounce@provider.com designates 192.0.2.7 as"
    " permitted sender) smtp.mailfrom=bounce@provider.com;\r\n"
    "       dmarc=pass (p=QUARANTINE sp=NONE dis=NONE) header.from=provider.com"
)


@pytest.mark.parametrize(
    ("top", "sender", "method"),
    [
        pytest.param(
            [f"Authentication-Results: {MX}; dmarc=pass header.from=provider.com", HOP],
            ENGINEER,
            "dmarc",
            id="dmarc-pass-for-the-from-domain",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; dkim=pass header.d=provider.com header.s=s1", HOP],
            ENGINEER,
            "dkim",
            id="dkim-pass-for-the-from-domain",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; dkim=pass header.i=@provider.com", HOP],
            ENGINEER,
            "dkim",
            id="dkim-pass-named-by-header-i",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; dkim=pass header.d=mail.provider.com", HOP],
            ENGINEER,
            "dkim",
            id="dkim-pass-of-a-subdomain-relaxed",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; dkim=pass header.d=provider.com", HOP],
            "mesa@soporte.provider.com",
            "dkim",
            id="dkim-pass-of-the-parent-domain-relaxed",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; spf=pass smtp.mailfrom=bounce@provider.com", HOP],
            ENGINEER,
            "spf",
            id="spf-pass-for-the-envelope-sender",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; spf=pass smtp.mailfrom=bounces.provider.com", HOP],
            ENGINEER,
            "spf",
            id="spf-pass-for-an-envelope-domain",
        ),
        pytest.param(
            [f'Authentication-Results: {MX}; spf=pass smtp.mailfrom="ing. (guardia)"@provider.com', HOP],
            ENGINEER,
            "spf",
            id="spf-pass-with-a-quoted-local-part",
        ),
        pytest.param(
            [GMAIL_STYLE, HOP], ENGINEER, "dmarc", id="folded-header-with-comments-and-three-results"
        ),
        pytest.param(
            ["Authentication-Results: MX.Provider.COM; DMARC=Pass header.FROM=PROVIDER.com", HOP],
            "Ingeniero@Provider.COM",
            "dmarc",
            id="case-differences",
        ),
        pytest.param(
            [f"Authentication-Results: {MX} 1; dmarc=pass header.from=provider.com", HOP],
            ENGINEER,
            "dmarc",
            id="with-a-version-number",
        ),
        pytest.param(
            [
                f"Authentication-Results: {MX}; spf=fail (sender IP is 192.0.2.7) smtp.mailfrom=x.example;"
                " dkim=pass (signature was verified) header.d=provider.com;dmarc=pass action=none"
                " header.from=provider.com;compauth=pass reason=100",
                HOP,
            ],
            ENGINEER,
            "dmarc",
            id="keys-without-a-dot-and-reasons",
        ),
        pytest.param(
            [  # Postfix with milters: its Received on top, one header per filter below
                HOP,
                f"Authentication-Results: {MX}; dmarc=pass header.from=provider.com",
                "DKIM-Filter: OpenDKIM Filter v2.11.0 mx.provider.com 4F2A",
                f"Authentication-Results: {MX}; dkim=pass header.d=provider.com",
            ],
            ENGINEER,
            "dmarc",
            id="several-headers-of-one-server",
        ),
        pytest.param(
            [
                f"Authentication-Results: {MX}; dmarc=none header.from=provider.com",
                f"Authentication-Results: {MX}; dkim=pass header.d=provider.com",
                HOP,
            ],
            ENGINEER,
            "dkim",
            id="the-second-header-of-the-block-counts",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; dmarc=pass header.from=xn--and-6ma2c.com", HOP],
            "ingeniero@ñandú.com",
            "dmarc",
            id="unicode-from-domain-and-a-label-result",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; dkim=pass header.d=ñandú.com", HOP],
            "ingeniero@xn--and-6ma2c.com",
            "dkim",
            id="utf8-result-and-a-label-from-domain",
        ),
    ],
)
def test_a_trusted_aligned_pass_verifies_the_sender(top, sender, method):
    verdict = verify_sender(mail(*top), sender)

    assert verdict.verified, verdict.detail
    assert verdict.method == method
    assert f"({MX})" in verdict.detail


def test_the_detail_names_the_result_and_the_server():
    top = f"Authentication-Results: {MX}; dmarc=pass header.from=provider.com"

    assert verify_sender(mail(top, HOP), ENGINEER) == ServerVerdict(
        True, "dmarc", f"dmarc=pass header.from=provider.com ({MX})"
    )


def test_what_the_sender_wrote_is_shown_printable_in_the_detail():
    top = f'Authentication-Results: {MX}; dkim=pass header.d="attacker.net\x1b[2J\x00"'

    verdict = verify_sender(mail(top, HOP), ENGINEER)

    assert not verdict.verified
    assert "attacker.net?[2J?" in verdict.detail
    assert all(char.isprintable() for char in verdict.detail)


def test_the_mbox_envelope_line_a_pipe_hands_over_first_is_skipped():
    top = f"Authentication-Results: {MX}; dmarc=pass header.from=provider.com"
    raw = b"From bounce@provider.com  Sun Dec  6 10:00:01 2026\n" + mail(top, HOP)

    assert verify_sender(raw, ENGINEER).verified


def test_trusted_ids_may_be_given_as_a_comma_separated_string(settings):
    settings.ATIENDE_MAIL_TRUSTED_AUTHSERV_IDS = "filter.provider.com, mx.provider.com"
    top = f"Authentication-Results: {MX}; dmarc=pass header.from=provider.com"

    assert verify_sender(mail(top, HOP), ENGINEER).verified


# --- what does not -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "top",
    [
        pytest.param([HOP], id="no-results-header"),
        pytest.param(
            ["Authentication-Results: mx.attacker.net; dmarc=pass header.from=provider.com", HOP],
            id="an-untrusted-server",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; dmarc=fail header.from=provider.com", HOP],
            id="trusted-but-dmarc-fail",
        ),
        pytest.param(
            [
                f"Authentication-Results: {MX}; dkim=pass header.d=attacker.net; dmarc=fail header.from=provider.com"
            ],
            id="dkim-pass-for-another-domain",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; dkim=pass header.d=attacker.net header.i=@provider.com", HOP],
            id="dkim-d-of-another-domain-with-a-matching-i",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; dmarc=pass header.from=attacker.net", HOP],
            id="dmarc-pass-for-another-from-domain",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; dmarc=pass header.from=mail.provider.com", HOP],
            id="dmarc-pass-for-a-subdomain-is-not-the-from-domain",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; dkim=pass header.d=provider.com.attacker.net", HOP],
            id="dkim-domain-that-starts-like-the-from-domain",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; dkim=pass header.d=evilprovider.com", HOP],
            id="dkim-domain-that-ends-like-the-from-domain",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; dkim=pass header.d=com", HOP],
            id="dkim-for-a-top-level-domain",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; spf=pass smtp.helo=provider.com", HOP],
            id="spf-pass-for-the-helo-name-only",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; spf=softfail smtp.mailfrom=provider.com", HOP],
            id="spf-softfail",
        ),
        pytest.param([f"Authentication-Results: {MX}; none", HOP], id="none"),
        pytest.param(
            [
                f"Authentication-Results: {MX}; dmarc=fail (dmarc=pass header.from=provider.com) header.from=provider.com"
            ],
            id="a-pass-written-inside-a-comment",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; dkim=none (a (nested; dkim=pass header.d=provider.com) note)"],
            id="a-pass-inside-a-nested-comment",
        ),
        pytest.param(
            [
                f"Authentication-Results: {MX}; dmarc=fail header.from=provider.com;"
                " dmarc=pass header.from=provider.com",
                HOP,
            ],
            id="a-second-dmarc-result-injected",
        ),
        pytest.param(
            [
                f"Authentication-Results: {MX}; spf=fail smtp.mailfrom=attacker.net",
                f"Authentication-Results: {MX}; spf=pass smtp.mailfrom=provider.com",
                HOP,
            ],
            id="a-second-spf-result-in-the-block",
        ),
        pytest.param(
            [
                f"Authentication-Results: {MX}; dkim=fail header.d=provider.com dkim=pass header.d=provider.com"
            ],
            id="a-result-glued-on-without-a-semicolon",
        ),
        pytest.param(
            [f'Authentication-Results: {MX}; dkim=pass header.d="provider.com; dmarc=pass"', HOP],
            id="a-result-inside-a-quoted-value",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; dkim=pass header.d=provider.com (unterminated", HOP],
            id="an-unterminated-comment",
        ),
        pytest.param(["Authentication-Results: ;;;===((( \x00 )", HOP], id="garbage"),
        pytest.param(
            [f"Authentication-Results: {MX}; dkim=pass header.d=provider.com; " + "x=y " * 3000, HOP],
            id="an-oversized-header",
        ),
        pytest.param(
            [f"Authentication-Results: {MX}; dmarc=pass header.from=attacker.net header.from=provider.com"],
            id="two-from-domains-in-one-result",
        ),
    ],
)
def test_nothing_else_verifies_the_sender(top):
    verdict = verify_sender(mail(*top), ENGINEER)

    assert not verdict.verified
    assert verdict.method == ""
    assert verdict.detail


def test_a_forged_trusted_header_below_the_servers_own_is_not_read():
    forged = SENT.replace(
        "From:", f"Authentication-Results: {MX}; dmarc=pass header.from=provider.com\r\nFrom:", 1
    )
    raw = mail(f"Authentication-Results: {MX}; dmarc=fail header.from=provider.com", HOP, sent=forged)

    verdict = verify_sender(raw, ENGINEER)

    assert not verdict.verified
    assert "dmarc=fail" in verdict.detail


def test_a_forged_trusted_header_below_the_servers_received_line_is_not_read():
    forged = f"Authentication-Results: {MX}; dmarc=pass header.from=provider.com\r\n" + SENT
    raw = mail(f"Authentication-Results: {MX}; dkim=none (message not signed)", HOP, sent=forged)

    verdict = verify_sender(raw, ENGINEER)

    assert not verdict.verified
    assert verdict.detail == f"no pass aligned with provider.com from {MX}: dkim=none"


def test_a_forged_trusted_header_below_an_untrusted_server_is_not_read():
    forged = f"Authentication-Results: {MX}; dmarc=pass header.from=provider.com\r\n" + SENT
    raw = mail("Authentication-Results: relay.elsewhere.net; none", HOP, sent=forged)

    verdict = verify_sender(raw, ENGINEER)

    assert not verdict.verified
    assert "relay.elsewhere.net" in verdict.detail


@pytest.mark.parametrize("trusted", [[], "", None])
def test_a_forged_header_is_all_there_is_when_the_server_adds_none_so_nothing_is_trusted_by_default(
    settings, trusted
):
    settings.ATIENDE_MAIL_TRUSTED_AUTHSERV_IDS = trusted
    raw = mail(f"Authentication-Results: {MX}; dmarc=pass header.from=provider.com", HOP)

    verdict = verify_sender(raw, ENGINEER)

    assert not verdict.verified
    assert "ATIENDE_MAIL_TRUSTED_AUTHSERV_IDS" in verdict.detail


def test_a_second_trusted_server_below_the_nearest_is_not_read(settings):
    settings.ATIENDE_MAIL_TRUSTED_AUTHSERV_IDS = [MX, "filter.provider.com"]
    raw = mail(
        f"Authentication-Results: {MX}; dkim=none",
        "Authentication-Results: filter.provider.com; dmarc=pass header.from=provider.com",
        HOP,
    )

    assert not verify_sender(raw, ENGINEER).verified


def test_strict_alignment_refuses_a_subdomain_signature(settings):
    settings.ATIENDE_MAIL_ALIGNMENT = "strict"
    raw = mail(f"Authentication-Results: {MX}; dkim=pass header.d=mail.provider.com", HOP)

    assert not verify_sender(raw, ENGINEER).verified


def test_an_unknown_alignment_setting_is_a_configuration_error(settings):
    settings.ATIENDE_MAIL_ALIGNMENT = "loose"

    with pytest.raises(ImproperlyConfigured):
        verify_sender(mail(HOP), ENGINEER)


@pytest.mark.parametrize("header", ["From: Otro <otro@attacker.net>", "Subject: Re: [#7] Otro ticket"])
def test_a_second_singleton_header_is_never_verified(header):
    raw = mail(
        f"Authentication-Results: {MX}; dmarc=pass header.from=provider.com", HOP, sent=header + "\r\n" + SENT
    )

    verdict = verify_sender(raw, ENGINEER)

    assert not verdict.verified
    assert "more than one" in verdict.detail


@pytest.mark.parametrize(
    "sender", ["", "ingeniero", "ingeniero@", "ingeniero@[192.0.2.7]", "a@b@provider..com"]
)
def test_a_from_address_without_a_usable_domain_is_not_verified(sender):
    raw = mail(f"Authentication-Results: {MX}; dmarc=pass header.from=provider.com", HOP)

    assert not verify_sender(raw, sender).verified


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe garbage",
        b"\r\n\r\n",
        b"Authentication-Results\r\n",
        "Subject: ñ\r\n\r\n".encode("latin-1"),
    ],
)
def test_garbage_is_not_verified_and_does_not_raise(raw):
    assert not verify_sender(raw, ENGINEER).verified


@pytest.mark.parametrize(
    ("value", "authserv_id", "results"),
    [
        ("mx.provider.com; none", "mx.provider.com", []),
        (
            "mx.provider.com;\r\n\tdkim=pass (good) header.d=a.example;\r\n spf=fail smtp.mailfrom=b.example;",
            "mx.provider.com",
            [("dkim", "pass", {"header.d": "a.example"}), ("spf", "fail", {"smtp.mailfrom": "b.example"})],
        ),
        (
            "(first) mx.provider.com (comment \\) with a quoted pair) 1; dkim/1=pass header.d=a.example",
            "mx.provider.com",
            [("dkim", "pass", {"header.d": "a.example"})],
        ),
    ],
)
def test_the_header_parser_reads_comments_folding_versions_and_trailing_semicolons(
    value, authserv_id, results
):
    parsed = parse_results_header(value)

    assert parsed is not None
    assert parsed.authserv_id == authserv_id
    assert [(r.method, r.result, r.properties) for r in parsed.results] == results


@pytest.mark.parametrize(
    "value",
    [
        "",
        "mx.provider.com",
        "mx.provider.com extra words; none",
        "mx; dkim",
        "mx; dkim=",
        "mx; =pass",
        "mx; ) x",
    ],
)
def test_the_header_parser_refuses_what_is_not_well_formed(value):
    assert parse_results_header(value) is None


# --- DKIM checked here ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def rsa_key() -> tuple[bytes, bytes]:
    """(private key PEM as dkimpy reads it, DNS TXT record of the public key)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem, b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


def signed(raw: bytes, pem: bytes, domain: str = "provider.com", **options) -> bytes:
    options.setdefault("include_headers", [b"from", b"to", b"subject", b"message-id", b"date"])
    return bytes(dkim.sign(raw, b"s1", domain.encode(), pem, **options)) + raw


def dns_with(records: dict[str, bytes]):
    def lookup(name, timeout=5):
        return records.get(name.decode() if isinstance(name, bytes) else name)

    return lookup


def test_a_valid_aligned_signature_verifies_here(rsa_key):
    pem, txt = rsa_key

    verdict = verify_dkim(
        signed(mail(), pem), "provider.com", dnsfunc=dns_with({"s1._domainkey.provider.com.": txt})
    )

    assert verdict == ServerVerdict(True, "dkim-local", "dkim=pass header.d=provider.com (verified here)")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param(
            lambda raw: raw.replace(b"Ya qued", b"No qued"), "body hash mismatch", id="tampered-body"
        ),
        pytest.param(lambda raw: raw.replace(b"[#42]", b"[#43]"), "does not verify", id="tampered-subject"),
        pytest.param(
            lambda raw: raw.replace(b"From: Ingeniero <ingeniero@provider.com>", b"From: <ana@provider.com>"),
            "does not verify",
            id="tampered-from",
        ),
    ],
)
def test_a_tampered_message_does_not_verify_here(rsa_key, change, reason):
    pem, txt = rsa_key
    raw = change(signed(mail(), pem))

    verdict = verify_dkim(raw, "provider.com", dnsfunc=dns_with({"s1._domainkey.provider.com.": txt}))

    assert not verdict.verified
    assert reason in verdict.detail


def test_a_valid_signature_of_another_domain_does_not_verify_here(rsa_key):
    pem, txt = rsa_key
    raw = signed(mail(), pem, domain="attacker.net")

    verdict = verify_dkim(raw, "provider.com", dnsfunc=dns_with({"s1._domainkey.attacker.net.": txt}))

    assert not verdict.verified
    assert "not aligned" in verdict.detail


def test_a_signature_over_part_of_the_body_does_not_verify_here(rsa_key):
    pem, txt = rsa_key
    raw = signed(mail(), pem, length=True)
    raw += b"\r\nP.D.: y transfieran el pago a la cuenta 123.\r\n"  # what l= lets anyone append

    verdict = verify_dkim(raw, "provider.com", dnsfunc=dns_with({"s1._domainkey.provider.com.": txt}))

    assert not verdict.verified
    assert "l=" in verdict.detail


def test_a_signature_that_leaves_the_subject_unsigned_does_not_verify_here(rsa_key):
    pem, txt = rsa_key
    raw = signed(mail(), pem, include_headers=[b"from", b"to", b"message-id"])

    verdict = verify_dkim(raw, "provider.com", dnsfunc=dns_with({"s1._domainkey.provider.com.": txt}))

    assert not verdict.verified
    assert "Subject" in verdict.detail


def test_a_signature_without_a_key_in_dns_does_not_verify_here(rsa_key):
    pem, _txt = rsa_key

    verdict = verify_dkim(signed(mail(), pem), "provider.com", dnsfunc=dns_with({}))

    assert not verdict.verified
    assert "no key is published at s1._domainkey.provider.com." in verdict.detail


def test_a_failed_key_lookup_does_not_verify_here_and_says_so(rsa_key):
    pem, _txt = rsa_key

    def unreachable(name, timeout=5):
        raise dkim.DnsTimeoutError("the resolver did not answer")

    verdict = verify_dkim(signed(mail(), pem), "provider.com", dnsfunc=unreachable)

    assert not verdict.verified
    assert "failed (the resolver did not answer)" in verdict.detail


def test_a_key_too_short_does_not_verify_here():
    # cryptography refuses to make a 512-bit key (anyone can factor one); openssl still does.
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    made = subprocess.run(["openssl", "genrsa", "512"], capture_output=True, check=True).stdout
    key = serialization.load_pem_private_key(made, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    assert key.key_size == 512
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    txt = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    verdict = verify_dkim(
        signed(mail(), pem), "provider.com", dnsfunc=dns_with({"s1._domainkey.provider.com.": txt})
    )

    assert not verdict.verified
    assert "public key too small" in verdict.detail


def test_an_unsigned_message_does_not_verify_here():
    assert verify_dkim(mail(), "provider.com", dnsfunc=dns_with({})).detail == "no DKIM signature"


def test_a_second_valid_signature_can_be_the_aligned_one(rsa_key):
    pem, txt = rsa_key
    raw = signed(signed(mail(), pem, domain="provider.com"), pem, domain="esp.example")
    records = {"s1._domainkey.provider.com.": txt, "s1._domainkey.esp.example.": txt}

    assert verify_dkim(raw, "provider.com", dnsfunc=dns_with(records)).verified


# --- the resolver, for real ----------------------------------------------------------------


@pytest.fixture
def dns_server(rsa_key) -> Iterator[tuple[int, list[str]]]:
    """A DNS server on 127.0.0.1 (UDP) that serves the key's TXT record; yields (port, queries)."""
    _pem, txt = rsa_key
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    queries: list[str] = []
    done = threading.Event()

    def serve():
        while not done.is_set():
            try:
                data, peer = sock.recvfrom(4096)
            except OSError:
                return
            if done.is_set():
                return
            query = dns.message.from_wire(data)
            name = query.question[0].name.to_text()
            queries.append(name)
            response = dns.message.make_response(query)
            if name == "s1._domainkey.provider.com.":
                chunks = " ".join(f'"{txt[i : i + 200].decode()}"' for i in range(0, len(txt), 200))
                response.answer.append(dns.rrset.from_text(name, 60, "IN", "TXT", chunks))
            sock.sendto(response.to_wire(), peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield sock.getsockname()[1], queries
    done.set()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as waker:  # unblocks recvfrom
        waker.sendto(b"", sock.getsockname())
    thread.join(timeout=5)
    sock.close()


def test_verify_sender_checks_dkim_here_through_the_configured_resolver(settings, rsa_key, dns_server):
    pem, _txt = rsa_key
    port, queries = dns_server
    settings.ATIENDE_MAIL_VERIFY_DKIM = True
    settings.ATIENDE_MAIL_DNS_RESOLVER = f"127.0.0.1:{port}"
    raw = signed(mail(f"Authentication-Results: {MX}; dmarc=none header.from=provider.com", HOP), pem)

    verdict = verify_sender(raw, ENGINEER)

    assert verdict.verified, verdict.detail
    assert verdict.method == "dkim-local"
    assert queries == ["s1._domainkey.provider.com."]


def test_verify_sender_leaves_dkim_alone_unless_asked(settings, rsa_key, dns_server):
    pem, _txt = rsa_key
    port, queries = dns_server
    settings.ATIENDE_MAIL_DNS_RESOLVER = f"127.0.0.1:{port}"

    assert not verify_sender(signed(mail(HOP), pem), ENGINEER).verified
    assert queries == []


def test_verify_sender_refuses_another_domains_signature_through_the_resolver(settings, rsa_key, dns_server):
    pem, _txt = rsa_key
    port, _queries = dns_server
    settings.ATIENDE_MAIL_VERIFY_DKIM = True
    settings.ATIENDE_MAIL_DNS_RESOLVER = f"127.0.0.1:{port}"
    raw = signed(mail(HOP), pem).replace(b"ingeniero@provider.com", b"ingeniero@cliente.example")

    verdict = verify_sender(raw, "ingeniero@cliente.example")

    assert not verdict.verified


def test_the_lookup_answers_none_for_a_name_without_a_record(dns_server):
    port, queries = dns_server

    assert txt_lookup(("127.0.0.1", port))(b"s2._domainkey.provider.com.") is None
    assert queries == ["s2._domainkey.provider.com."]


@pytest.mark.parametrize(
    ("value", "address"),
    [
        ("", None),
        ("  ", None),
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("192.0.2.53", ("192.0.2.53", 53)),
        ("[2001:db8::53]:5353", ("2001:db8::53", 5353)),
        ("2001:db8::53", ("2001:db8::53", 53)),
    ],
)
def test_the_resolver_setting_is_an_ip_and_a_port(value, address):
    assert resolver_address(value) == address


@pytest.mark.parametrize(
    "value", ["dns.example:53", "127.0.0.1:0", "127.0.0.1:99999", "127.0.0.1:x", "[::1]x"]
)
def test_a_resolver_setting_that_is_not_an_ip_and_a_port_is_a_configuration_error(value):
    with pytest.raises(ImproperlyConfigured):
        resolver_address(value)
