"""Outbound HTTP to client-supplied URLs (audio_url fetches, webhooks) without SSRF.

The address check runs where the socket is opened: the host is resolved once, every
address is checked, and the connection goes to a checked address. A DNS answer that changes
between a check and the connect (rebinding) cannot slip through, and each redirect hop is
checked the same way. Private, loopback, link-local (cloud metadata at 169.254.169.254
included), multicast and reserved addresses are refused unless an allow-list names them.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .errors import invalid

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_REDIRECTS = 5


class ForbiddenAddress(Exception):
    """The URL resolves to an address this deployment may not reach."""


class BadUrl(Exception):
    pass


def parse_allowlist(text: str) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in text.split(",") if item.strip())


NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo server and client, NAT64):
    a router may deliver the packet to them, so each must be public as well."""
    found = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    if ip in NAT64_WELL_KNOWN:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [a for a in found if a is not None]


def is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in NAT64_LOCAL_USE:
            return False  # its translator's prefix says nothing about where it leads
        embedded = embedded_ipv4(ip)
        if ip.ipv4_mapped is not None:
            return is_public(ip.ipv4_mapped)
        if embedded and not all(is_public(a) for a in embedded):
            return False
        if ip in NAT64_WELL_KNOWN:
            return True  # 64:ff9b::/96 is "reserved", but leads to the public address it embeds
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


@dataclass(frozen=True)
class AddressPolicy:
    allowlist: tuple[Network, ...] = ()

    def allows(self, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%")[0])
        return is_public(ip) or any(ip in net for net in self.allowlist)

    def resolve(self, host: str, port: int) -> list[str]:
        """All addresses of `host`, or ForbiddenAddress if any of them is not allowed."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise BadUrl(f"host {host!r} does not resolve") from exc
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        refused = [a for a in addresses if not self.allows(a)]
        if refused:
            raise ForbiddenAddress(f"host {host!r} resolves to a non-public address")
        return addresses

    def check_url(self, url: str) -> None:
        """Scheme, host and addresses of a URL; raises BadUrl or ForbiddenAddress."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise BadUrl("only http and https URLs are accepted")
        if not parts.hostname:
            raise BadUrl("the URL has no host")
        if parts.username or parts.password:
            raise BadUrl("credentials in the URL are not accepted")
        self.resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))


def validate_client_url(policy: AddressPolicy, url: str, param: str) -> None:
    """The API's check of a client URL at request time: a 400 naming `param`."""
    if len(url) > 2048:
        raise invalid(param, f"{param} is longer than 2048 characters", code="invalid_url")
    try:
        policy.check_url(url)
    except BadUrl as exc:
        raise invalid(param, f"{param}: {exc}", code="invalid_url") from exc
    except ForbiddenAddress as exc:
        raise invalid(
            param,
            f"{param}: {exc}; private, loopback and link-local addresses are refused "
            "unless the deployment allow-lists them (TRANSCRIPTS_OUTBOUND_ALLOWLIST)",
            code="url_not_allowed",
        ) from exc


def _guarded_pool(policy: AddressPolicy):
    """httpcore's pool whose every connection goes to an address the policy checked. Built on
    first use: the API function of the AWS deployment never sends, and its cold start need not
    import the HTTP stack or load the CA certificates."""
    import ssl

    import httpcore

    class GuardedBackend(httpcore.SyncBackend):
        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            last_error: Exception | None = None
            for address in policy.resolve(host, port):
                try:
                    return super().connect_tcp(address, port, timeout, local_address, socket_options)
                except httpcore.ConnectError as exc:
                    last_error = exc
            raise last_error or httpcore.ConnectError(f"cannot connect to {host}")

    return httpcore.ConnectionPool(ssl_context=ssl.create_default_context(), network_backend=GuardedBackend(),
                                   max_connections=20)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    chunks: Iterable[bytes]


class OutboundClient:
    """An HTTP client whose every connection goes through the address policy."""

    def __init__(self, policy: AddressPolicy, timeout_s: float):
        self.timeout_s = timeout_s
        self.policy = policy
        self._pool = None
        self._lock = threading.Lock()

    @property
    def pool(self):
        with self._lock:
            if self._pool is None:
                self._pool = _guarded_pool(self.policy)
            return self._pool

    @contextmanager
    def stream(self, method: str, url: str, body: bytes = b"", headers: dict | None = None) -> Iterator[Response]:
        """Follows up to 5 redirects for GET; each hop is checked like the first URL."""
        timeouts = {"connect": self.timeout_s, "read": self.timeout_s, "write": self.timeout_s, "pool": self.timeout_s}
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise BadUrl("redirect to a URL that is not http(s)")
            with self.pool.stream(
                method, url, headers=list((headers or {}).items()), content=body, extensions={"timeout": timeouts}
            ) as resp:
                resp_headers = {k.decode().lower(): v.decode("latin-1") for k, v in resp.headers}
                if method == "GET" and resp.status in (301, 302, 303, 307, 308) and "location" in resp_headers:
                    url = urljoin(url, resp_headers["location"])
                    continue
                yield Response(resp.status, resp_headers, resp.iter_stream())
                return
        raise BadUrl("too many redirects")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
