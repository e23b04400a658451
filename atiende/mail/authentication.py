"""Whether the operator's mail server, or our own DKIM check, vouches for an email's From address.

`verify_sender(raw, from_address)` answers with a `ServerVerdict`. It never trusts what the
sender wrote about itself: it reads only the `Authentication-Results` header (RFC 8601) that a
configured, trusted mail server put on top of the message, and, when asked to, checks the
message's own DKIM signatures against the keys in DNS.

Which Authentication-Results headers count. A message gathers these headers as it travels, each
server prepending its own, so anything below the nearest server's header may have been written
by the sender. RFC 8601 section 5 tells every server to delete incoming headers carrying its own
authserv-id; we cannot see whether the operator's server does, so we read only the top block:
- the topmost Authentication-Results header must carry a trusted authserv-id
  (ATIENDE_MAIL_TRUSTED_AUTHSERV_IDS); when it does not, an untrusted server stands between the
  trusted one and us, or the trusted server never saw the message, and nothing counts;
- the block is that header and the ones right below it with the same authserv-id (one server
  writes several: one per filter); it ends at a `Received` header or at any other authserv-id,
  so a copy of the trusted id that the sender put lower down is never read;
- a block that reports DMARC or SPF twice is contradicting itself (a second result injected
  through a value the server copied): that method does not count.

What verifies. DMARC pass for exactly the From domain; DKIM pass for a signing domain (header.d,
else header.i's domain) aligned with the From domain; SPF pass for an envelope sender
(smtp.mailfrom) aligned with the From domain. Aligned means equal, or with relaxed alignment
(ATIENDE_MAIL_ALIGNMENT, the default) one domain a subdomain of the other. A message with two
From, Subject, Message-ID... headers is never verified: a signature covers one of them and a
reader may show the other.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import dkim  # type: ignore[import-untyped]
import dns.exception
import dns.resolver
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

# RFC 5322 allows each of these once; with two, a signature and a reader may see different ones.
SINGLE_HEADERS = (
    "from",
    "sender",
    "reply-to",
    "to",
    "cc",
    "subject",
    "date",
    "message-id",
    "in-reply-to",
    "references",
)
# Real Authentication-Results headers are a few hundred characters; a longer one is not read.
MAX_RESULTS_HEADER = 8192
# A message may carry several DKIM signatures; each costs a DNS query.
MAX_LOCAL_SIGNATURES = 5
DNS_TIMEOUT = 5.0
_HEADER_NAME = re.compile(r"[\x21-\x39\x3b-\x7e]+")


@dataclass(frozen=True)
class ServerVerdict:
    """What the mail server (or our DKIM check) says about the From address.

    `method` is "dmarc", "dkim", "spf" (from a trusted Authentication-Results header),
    "dkim-local" (our own check) or "" when not verified; `detail` is English, for agents and
    logs, e.g. "dmarc=pass header.from=acme.com (mx.provider.com)".
    """

    verified: bool
    method: str
    detail: str


@dataclass(frozen=True)
class _Result:
    method: str
    result: str
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _ResultsHeader:
    authserv_id: str
    results: tuple[_Result, ...]


def verify_sender(raw: bytes, from_address: str) -> ServerVerdict:
    """Whether a trusted mail server's results, or a DKIM signature we check, vouch for
    `from_address` (the From header's addr-spec, as the parser read it)."""
    domain = _domain(from_address.rpartition("@")[2]) if "@" in from_address else None
    if domain is None:
        return ServerVerdict(False, "", "the From address has no usable domain")
    headers = _headers(raw)
    repeated = _repeated_single_header(headers)
    if repeated:
        return ServerVerdict(False, "", f"the message has more than one {repeated} header")
    relaxed = _relaxed_alignment()
    verdict = _verdict_from_results(headers, domain, _trusted_authserv_ids(), relaxed)
    if verdict.verified or not getattr(settings, "ATIENDE_MAIL_VERIFY_DKIM", False):
        return verdict
    local = verify_dkim(raw, domain, relaxed=relaxed, dnsfunc=txt_lookup(resolver_address()))
    if local.verified:
        return local
    return ServerVerdict(False, "", f"{verdict.detail}; {local.detail}")


# Settings


def _trusted_authserv_ids() -> frozenset[str]:
    value: str | Sequence[str] | None = getattr(settings, "ATIENDE_MAIL_TRUSTED_AUTHSERV_IDS", ())
    if not value:
        return frozenset()
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return frozenset(item.strip().lower() for item in value if item.strip())


def _relaxed_alignment() -> bool:
    value = str(getattr(settings, "ATIENDE_MAIL_ALIGNMENT", "relaxed")).strip().lower()
    if value not in ("relaxed", "strict"):
        raise ImproperlyConfigured("ATIENDE_MAIL_ALIGNMENT must be 'relaxed' or 'strict'.")
    return value == "relaxed"


def resolver_address(value: str | None = None) -> tuple[str, int] | None:
    """ATIENDE_MAIL_DNS_RESOLVER as (ip, port); None for the system's resolver ("")."""
    if value is None:
        value = str(getattr(settings, "ATIENDE_MAIL_DNS_RESOLVER", ""))
    value = value.strip()
    if not value:
        return None
    host, port = value, "53"
    if value.startswith("["):  # [2001:db8::53]:5353
        host, _, rest = value[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                raise ImproperlyConfigured(f"ATIENDE_MAIL_DNS_RESOLVER is not ip:port: {value!r}")
            port = rest[1:]
    elif value.count(":") == 1:
        host, port = value.split(":")
    try:
        ipaddress.ip_address(host)
        number = int(port)
    except ValueError:
        raise ImproperlyConfigured(f"ATIENDE_MAIL_DNS_RESOLVER is not ip:port: {value!r}") from None
    if not 0 < number < 65536:
        raise ImproperlyConfigured(f"ATIENDE_MAIL_DNS_RESOLVER has a bad port: {value!r}")
    return host, number


# Headers


def _headers(raw: bytes) -> list[tuple[str, str]]:
    """The header fields in order, unfolded. Reading stops where a parser would see the body
    start: at the blank line or at a line that is neither a field nor a continuation."""
    blank = re.search(rb"\r?\n\r?\n", raw)
    head = raw[: blank.start()] if blank else raw  # the body can be 25 MB; it is not needed
    fields: list[tuple[str, list[str]]] = []
    lines = re.split(r"\r\n|\n|\r", head.decode("utf-8", "replace"))
    if lines[0].startswith("From "):
        del lines[0]  # the mbox envelope line a pipe may hand over first
    for line in lines:
        if not line:
            break
        if line[0] in " \t":
            if fields:
                fields[-1][1].append(line)
            continue
        name, colon, value = line.partition(":")
        name = name.rstrip(" \t")
        if not colon or not _HEADER_NAME.fullmatch(name):
            break
        fields.append((name.lower(), [value]))
    return [(name, "".join(parts)) for name, parts in fields]


def _repeated_single_header(headers: list[tuple[str, str]]) -> str:
    seen: set[str] = set()
    for name, _value in headers:
        if name in SINGLE_HEADERS:
            if name in seen:
                return name.title()
            seen.add(name)
    return ""


# Authentication-Results


def _verdict_from_results(
    headers: list[tuple[str, str]], domain: str, trusted: frozenset[str], relaxed: bool
) -> ServerVerdict:
    if not trusted:
        return ServerVerdict(False, "", "no mail server is trusted (ATIENDE_MAIL_TRUSTED_AUTHSERV_IDS)")
    block, problem = _top_block(headers, trusted)
    if problem:
        return ServerVerdict(False, "", problem)
    authserv_id = block[0].authserv_id
    results = [result for header in block for result in header.results]
    counts = {method: sum(1 for r in results if r.method == method) for method in ("dmarc", "spf")}
    usable = [r for r in results if r.result == "pass" and counts.get(r.method, 0) <= 1]
    for result in usable:
        if result.method == "dmarc" and _domain(result.properties.get("header.from", "")) == domain:
            return ServerVerdict(True, "dmarc", f"dmarc=pass header.from={domain} ({authserv_id})")
    for result in usable:
        signer = _dkim_domain(result.properties) if result.method == "dkim" else None
        if signer and _aligned(signer, domain, relaxed):
            return ServerVerdict(True, "dkim", f"dkim=pass header.d={signer} ({authserv_id})")
    for result in usable:
        envelope = result.properties.get("smtp.mailfrom", "") if result.method == "spf" else ""
        mailfrom = _domain(envelope.rpartition("@")[2]) if envelope else None
        if mailfrom and _aligned(mailfrom, domain, relaxed):
            return ServerVerdict(True, "spf", f"spf=pass smtp.mailfrom={mailfrom} ({authserv_id})")
    seen = [_describe(result) for result in results]
    said = "; ".join(seen) if seen else "none"
    repeated = [method for method, count in counts.items() if count > 1]
    if repeated:
        said += f" (more than one {'/'.join(repeated)} result: ignored)"
    return ServerVerdict(False, "", f"no pass aligned with {domain} from {authserv_id}: {said}")


def _top_block(headers: list[tuple[str, str]], trusted: frozenset[str]) -> tuple[list[_ResultsHeader], str]:
    block: list[_ResultsHeader] = []
    for name, value in headers:
        if name == "received" and block:
            break
        if name != "authentication-results":
            continue
        parsed = parse_results_header(value)
        if parsed is None:
            if block:
                break
            return [], "the nearest Authentication-Results header cannot be read"
        if not block:
            if parsed.authserv_id not in trusted:
                return [], (
                    f"the nearest Authentication-Results header is from {_shown(parsed.authserv_id)!r}, "
                    "which is not trusted"
                )
        elif parsed.authserv_id != block[0].authserv_id:
            break
        block.append(parsed)
    if not block:
        return [], "no Authentication-Results header"
    return block, ""


def _dkim_domain(properties: dict[str, str]) -> str | None:
    # header.i must lie within header.d; read it only when a server reports i without d.
    if "header.d" in properties:
        return _domain(properties["header.d"])
    if "header.i" in properties:
        return _domain(properties["header.i"].rpartition("@")[2])
    return None


def _describe(result: _Result) -> str:
    shown = [f"{result.method}={result.result}"]
    for key in ("header.from", "header.d", "header.i", "smtp.mailfrom"):
        if key in result.properties:
            shown.append(f"{key}={result.properties[key]}")
    return _shown(" ".join(shown))


def _shown(text: str) -> str:
    """Text the sender may have chosen, made safe to show and log: printable and short."""
    text = "".join(char if char.isprintable() else "?" for char in text)
    return text if len(text) <= 200 else text[:199] + "…"


def parse_results_header(value: str) -> _ResultsHeader | None:
    """One Authentication-Results value (RFC 8601), or None when it is not well formed.

    Comments (nested, with quoted pairs) are dropped, so a result written inside one is never
    read; a result clause whose syntax is broken makes the whole header unreadable, since the
    server that wrote it cannot be understood."""
    value = re.sub(r"[\r\n]", "", value)
    if len(value) > MAX_RESULTS_HEADER:
        return None
    tokens = _tokens(value)
    if tokens is None:
        return None
    segments: list[list[tuple[str, str, bool]]] = [[]]
    for token in tokens:
        if token[0] == ";":
            segments.append([])
        else:
            segments[-1].append(token)
    head = segments[0]
    if not head or head[0][0] not in ("atom", "quoted") or not head[0][1]:
        return None
    if len(head) > 2 or (len(head) == 2 and not (head[1][0] == "atom" and head[1][1].isdigit())):
        return None
    results: list[_Result] = []
    clauses = [segment for segment in segments[1:] if segment]
    if not clauses:
        return None  # "no-result" is spelled "none", never left out
    if len(clauses) == 1 and [t[1].lower() for t in clauses[0]] == ["none"]:
        return _ResultsHeader(head[0][1].lower(), ())
    for clause in clauses:
        result = _result(clause)
        if result is None:
            return None
        results.append(result)
    return _ResultsHeader(head[0][1].lower(), tuple(results))


def _result(tokens: list[tuple[str, str, bool]]) -> _Result | None:
    pairs: list[tuple[str, str]] = []
    index = 0
    while index < len(tokens):
        if index + 3 > len(tokens):
            return None
        key, equals, value = tokens[index], tokens[index + 1], tokens[index + 2]
        if key[0] != "atom" or equals[0] != "=" or value[0] not in ("atom", "quoted"):
            return None
        text = value[1]
        index += 3
        # A quoted local-part: smtp.mailfrom="a b"@example.com
        if (
            index < len(tokens)
            and tokens[index][0] == "atom"
            and tokens[index][2]
            and tokens[index][1][:1] == "@"
        ):
            text += tokens[index][1]
            index += 1
        pairs.append((key[1].lower(), text))
    if not pairs:
        return None
    method = pairs[0][0].partition("/")[0]
    properties: dict[str, str] = {}
    for name, text in pairs[1:]:
        if "." not in name:
            continue  # reason=..., and keys some servers add (action=none)
        if name in properties:
            return None  # two header.d in one clause: a missing ";" or an injection
        properties[name] = text
    return _Result(method, pairs[0][1].lower(), properties)


def _tokens(value: str) -> list[tuple[str, str, bool]] | None:
    """(kind, text, glued) tokens; kind is "atom", "quoted", ";" or "="; glued when nothing
    (space or comment) separates the token from the one before it."""
    tokens: list[tuple[str, str, bool]] = []
    index, length, glued = 0, len(value), False
    while index < length:
        char = value[index]
        if char in " \t":
            index += 1
            glued = False
        elif char == "(":
            depth = 0
            while index < length:
                char = value[index]
                if char == "\\":
                    index += 2
                    continue
                if char == "(":
                    depth += 1
                elif char == ")":
                    depth -= 1
                    if depth == 0:
                        break
                index += 1
            else:
                return None  # unterminated comment
            index += 1
            glued = False
        elif char == ")":
            return None
        elif char in ";=":
            tokens.append((char, char, glued))
            index += 1
            glued = True
        elif char == '"':
            index += 1
            text: list[str] = []
            while index < length and value[index] != '"':
                if value[index] == "\\":
                    index += 1
                    if index == length:
                        return None
                text.append(value[index])
                index += 1
            if index == length:
                return None  # unterminated quoted string
            index += 1
            tokens.append(("quoted", "".join(text), glued))
            glued = True
        else:
            end = index
            while end < length and value[end] not in ' \t()";=\\':
                end += 1
            if end == index:
                return None  # a backslash outside a quoted string
            tokens.append(("atom", value[index:end], glued))
            index = end
            glued = True
    return tokens


# Domains


def _domain(text: str) -> str | None:
    """A domain name in lower-case ASCII (A-labels), or None when it is not one."""
    text = text.strip().rstrip(".").lower()
    if not text or len(text) > 253 or "." not in text or re.search(r"[\s\"<>()\[\];:,@\\/]", text):
        return None
    try:
        ascii_name = text.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return ascii_name.lower()


def _aligned(signer: str, domain: str, relaxed: bool) -> bool:
    """DMARC identifier alignment, with "one is a subdomain of the other" standing in for the
    public suffix list (which we do not ship): a signer needs its own DNS zone to pass, so a
    public suffix cannot sign, but a sibling subdomain or the parent of a shared zone can."""
    if signer == domain:
        return True
    if not relaxed:
        return False
    return signer.endswith("." + domain) or domain.endswith("." + signer)


# DKIM checked here


def txt_lookup(server: tuple[str, int] | None) -> Callable[..., bytes | None]:
    """A TXT lookup for dkimpy (its `dnsfunc`): through `server` (ip, port), or the system's
    resolver when None."""
    resolver = dns.resolver.Resolver(configure=server is None)
    if server is not None:
        resolver.nameservers = [server[0]]
        resolver.port = server[1]
    resolver.lifetime = DNS_TIMEOUT

    def lookup(name: bytes | str, timeout: float = DNS_TIMEOUT) -> bytes | None:
        qname = name.decode("ascii", "replace") if isinstance(name, bytes) else name
        try:
            answer = resolver.resolve(qname, "TXT", lifetime=timeout, search=False, raise_on_no_answer=False)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return None
        except dns.exception.DNSException as exc:
            raise dkim.DnsTimeoutError(str(exc)) from exc
        for rrset in answer.response.answer:
            for record in rrset:
                strings = getattr(record, "strings", None)
                if strings is not None:
                    return b"".join(strings)
        return None

    return lookup


def verify_dkim(
    raw: bytes, domain: str, *, relaxed: bool = True, dnsfunc: Callable[..., bytes | None]
) -> ServerVerdict:
    """Our own check of the message's DKIM signatures: verified when one is valid, its d= is
    aligned with `domain`, it signs From and Subject, and it covers the whole body (no l=)."""
    headers = _headers(raw)
    repeated = _repeated_single_header(headers)
    if repeated:
        return ServerVerdict(False, "", f"the message has more than one {repeated} header")
    count = sum(1 for name, _ in headers if name == "dkim-signature")
    if not count:
        return ServerVerdict(False, "", "no DKIM signature")
    has_subject = any(name == "subject" for name, _ in headers)
    reasons: list[str] = []
    lookups: list[str] = []

    def traced(name: bytes, timeout: float = DNS_TIMEOUT) -> bytes | None:
        shown = _shown(name.decode("ascii", "replace"))
        try:
            answer = dnsfunc(name, timeout=timeout)
        except Exception as exc:
            lookups.append(f"the key lookup for {shown} failed ({_shown(str(exc))})")
            raise
        if answer is None:
            lookups.append(f"no key is published at {shown}")
        return answer

    for index in range(min(count, MAX_LOCAL_SIGNATURES)):
        lookups.clear()
        try:
            checker = dkim.DKIM(raw, minkey=1024, timeout=DNS_TIMEOUT, logger=logger)
            valid = bool(checker.verify(idx=index, dnsfunc=traced))
        except dkim.DKIMException as exc:
            reasons.append(f"DKIM signature {index + 1}: {_shown(str(exc))}")
            continue
        except Exception:
            # dkimpy meets hostile input here; whatever it trips on, the signature does not count.
            logger.warning("DKIM check failed on signature %d", index + 1, exc_info=True)
            reasons.append(f"DKIM signature {index + 1}: unreadable")
            continue
        signer = _domain(bytes(getattr(checker, "domain", None) or b"").decode("ascii", "replace"))
        signed = {bytes(name).lower() for name in getattr(checker, "include_headers", None) or ()}
        fields = getattr(checker, "signature_fields", None) or {}
        label = f"DKIM signature {index + 1} (d={signer})"
        if not valid:
            reasons.append(f"{label}: {lookups[-1] if lookups else 'does not verify'}")
        elif signer is None or not _aligned(signer, domain, relaxed):
            reasons.append(f"{label}: not aligned with {domain}")
        elif b"l" in fields:
            reasons.append(f"{label}: covers only part of the body (l=)")
        elif b"from" not in signed or (has_subject and b"subject" not in signed):
            reasons.append(f"{label}: does not sign From and Subject")
        else:
            return ServerVerdict(True, "dkim-local", f"dkim=pass header.d={signer} (verified here)")
    return ServerVerdict(False, "", "; ".join(reasons))
