"""Which webhook targets the server may call. A webhook URL is chosen by a tenant but called by
the server, from inside its network: without a check, `http://169.254.169.254/…` or
`http://localhost:5432` would let a tenant probe or reach what only the server can.

Every address the host resolves to must be global unicast: loopback, private, link-local,
shared (CGNAT), multicast, reserved, unspecified and documentation ranges are refused, for IPv4
and IPv6, and an IPv6 address that embeds an IPv4 one (IPv4-mapped, 6to4, Teredo, NAT64) is
judged by the IPv4 address it carries. The operator can allow them all with
AGENTAUDIT_WEBHOOK_ALLOW_PRIVATE=1 (for a receiver on the same network, and for tests).

The check runs when a webhook is configured and again before every delivery (DNS can change in
between), and the delivery then connects to the very address that was checked (dispatcher.py),
so a second, different DNS answer cannot slip in.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

ALLOW_PRIVATE_ENV = "AGENTAUDIT_WEBHOOK_ALLOW_PRIVATE"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class UnsafeTarget(ValueError):
    """The URL's host resolves to an address webhooks may not reach."""


class Unresolvable(UnsafeTarget):
    """The URL's host does not resolve (now): worth trying again later."""


def allow_private_from_env() -> bool:
    return os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def forbidden_reason(ip: IPAddress) -> str | None:
    """Why `ip` may not be called, or None when it is a global unicast address."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_v4(ip)
        if inner is not None:
            why = forbidden_reason(inner)
            return f"{why} (inside the IPv6 address {ip})" if why else None
    for test, name in (
        (ip.is_unspecified, "unspecified"),
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.is_private, "private"),
        (ip.is_reserved, "reserved"),
    ):
        if test:
            return f"{ip} is a {name} address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return f"{ip} is a site-local address"
    if not ip.is_global:
        return f"{ip} is not a public address"
    return None


@dataclass(frozen=True)
class Target:
    """A URL's parts and the addresses (all checked) it may be called at, in resolver order."""

    scheme: str
    host: str  # as written in the URL (a name, or an address without brackets)
    port: int
    addresses: tuple[IPAddress, ...]

    def url_at(self, url: str, address: IPAddress) -> str:
        """`url` with its host replaced by a checked address (brackets for IPv6)."""
        parts = urlsplit(url)
        host = f"[{address}]" if address.version == 6 else str(address)
        netloc = f"{host}:{parts.port}" if parts.port is not None else host
        return parts._replace(netloc=netloc).geturl()


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (an address literal: itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise Unresolvable(f"cannot resolve host {host!r}: {exc}") from None
    out: list[IPAddress] = []
    for info in infos:
        text = str(info[4][0]).partition("%")[0]  # drop an IPv6 zone id
        ip = ipaddress.ip_address(text)
        if ip not in out:
            out.append(ip)
    if not out:
        raise Unresolvable(f"host {host!r} resolves to no address")
    return out


def check_configured(url: str, *, allow_private: bool) -> None:
    """The check when a webhook is configured: UnsafeTarget if its host resolves to a forbidden
    address. A host that does not resolve (yet) is accepted: each delivery checks again."""
    with contextlib.suppress(Unresolvable):
        check_url(url, allow_private=allow_private)


def check_url(url: str, *, allow_private: bool) -> Target:
    """The target to call for `url`: every address of its host is checked (one forbidden
    address refuses the URL, since another resolver might pick it)."""
    parts = urlsplit(url)
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host:
        raise UnsafeTarget("only http:// and https:// URLs with a host can be called")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = resolve(host, port)
    if not allow_private:
        for ip in addresses:
            why = forbidden_reason(ip)
            if why is not None:
                raise UnsafeTarget(
                    f"{host} resolves to {why}; webhooks may only call public addresses"
                    f" (the server's operator can allow others with {ALLOW_PRIVATE_ENV}=1)"
                )
    return Target(parts.scheme, host, port, tuple(addresses))
