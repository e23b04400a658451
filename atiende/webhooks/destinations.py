"""Where a webhook may be sent: no server-side request forgery.

A subscriber chooses the URL, so a careless (or hostile) administrator could point it at
the metadata service of the cloud, a database on the private network or the server itself,
and read the answers in the delivery log. A destination is refused unless every address
its name resolves to is public, both when the subscription is saved and when each delivery
is sent; the delivery then connects to the very address it checked (a name that resolves
to a public address for the check and a private one a moment later — DNS rebinding —
gains nothing). `ATIENDE_WEBHOOKS_ALLOW_PRIVATE` lifts the address rule (a receiver on the
same network; the tests' local receiver); the URL rules stay.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class RefusedDestination(ValueError):
    """A URL webhooks may not be sent to, with the reason worded for the administrator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Destination:
    url: httpx.URL
    host: str  # the name as written, for the Host header and TLS
    address: str  # the checked address to connect to


def parse(url: str) -> httpx.URL:
    """The URL as the sender will read it, refused unless http(s) with a host and no user."""
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError, ValueError):
        raise RefusedDestination(_("This is not a valid URL.")) from None
    if parsed.scheme not in {"http", "https"}:
        raise RefusedDestination(_("Only http and https addresses can receive webhooks."))
    if not parsed.host:
        raise RefusedDestination(_("The URL needs a host name."))
    if parsed.userinfo:
        raise RefusedDestination(
            _("The URL must not carry a user name or password; authenticate with the signature.")
        )
    return parsed


def is_public(address: IPAddress) -> bool:
    """An address on the public internet (also looking inside IPv6 forms that carry an
    IPv4 address: ::ffff:127.0.0.1 is the loopback)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is None and address.teredo is not None:
            embedded = address.teredo[1]
        if embedded is not None and not is_public(embedded):
            return False
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the name resolves to (an address literal is itself)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise RefusedDestination(_("The host name %(host)s does not resolve.") % {"host": host}) from None
    # An IPv6 address may carry a zone ("fe80::1%eth0"): the zone is not part of the address.
    return list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found))


def check(url: str) -> Destination:
    """The destination to connect to, or `RefusedDestination` with the reason."""
    parsed = parse(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = resolve(parsed.host, port)
    if not addresses:
        raise RefusedDestination(_("The host name %(host)s does not resolve.") % {"host": parsed.host})
    if not settings.ATIENDE_WEBHOOKS_ALLOW_PRIVATE:
        refused = [address for address in addresses if not is_public(address)]
        if refused:
            raise RefusedDestination(
                _(
                    "%(host)s leads to %(address)s, an internal address (loopback, private, "
                    "link-local or reserved): webhooks are only sent to public addresses."
                )
                % {"host": parsed.host, "address": refused[0]}
            )
    return Destination(parsed, parsed.host, str(addresses[0]))
