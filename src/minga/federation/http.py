"""Requests to other servers, guarded against server-side request forgery.

Every address a remote document names (an inbox, an actor, a key) is a place someone else
chose; fetching it blindly would let them make this server reach its own network. So before
connecting, the host name is resolved and every address it resolves to must be a public
one: loopback, private, link-local, shared (CGNAT), multicast, reserved and unspecified
addresses are refused, IPv4 ones hidden in IPv6 too. The connection then goes to the very
address that was checked (no second lookup a DNS answer could change in between), with the
host name kept for ``Host`` and TLS. Only ``https`` is used, except for test hosts that the
operator names in ``MINGA_FEDERATION_TEST_HOSTS`` (``host:port``), which may also be on
loopback. Answers are limited in size and time; redirects are followed a few times, each hop
checked again.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

DEFAULT_TIMEOUT = 10.0
MAX_REDIRECTS = 3
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchRefusedError(Exception):
    """A request we will not make (an unsafe address) or that failed."""

    def __init__(self, reason: str, *, unsafe: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unsafe = unsafe


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    url: str


def user_agent() -> str:
    return f"Minga/0.1 (ActivityPub; +{settings.SITE_URL}/)"


def test_hosts() -> frozenset[str]:
    """``host:port`` pairs (or bare hosts) allowed to be on loopback or private networks."""
    return frozenset(
        item.strip().lower() for item in getattr(settings, "FEDERATION_TEST_HOSTS", ()) if item
    )


def _host_port(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host:
        raise FetchRefusedError(f"not a web address: {url[:200]}", unsafe=True)
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as error:
        raise FetchRefusedError("the address has a malformed port", unsafe=True) from error
    if parts.username or parts.password:
        raise FetchRefusedError("addresses with credentials are refused", unsafe=True)
    return scheme, host, port, parts.netloc.lower()


def is_test_host(url: str) -> bool:
    try:
        _scheme, host, port, _netloc = _host_port(url)
    except FetchRefusedError:
        return False
    allowed = test_hosts()
    return f"{host}:{port}" in allowed or host in allowed


def is_public_address(address: str) -> bool:
    """Whether connecting to this IP address reaches the public internet only."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(str(embedded))
    return bool(
        ip.is_global
        and not ip.is_multicast
        and not ip.is_reserved
        and not ip.is_loopback
        and not ip.is_link_local
        and not ip.is_private
        and not ip.is_unspecified
    )


def _resolve(host: str, port: int) -> list[str]:
    overrides: Mapping[str, str] = getattr(settings, "FEDERATION_HOST_ADDRESSES", {}) or {}
    if host in overrides:
        return [overrides[host]]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchRefusedError(f"{host} does not resolve") from error
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_url(url: str) -> tuple[str, str, int, str, str]:
    """(scheme, host, port, netloc, address to connect to) for a URL we may reach; refuses
    others with :class:`FetchRefusedError` (``unsafe``)."""
    scheme, host, port, netloc = _host_port(url)
    testing = is_test_host(url)
    if scheme != "https" and not testing:
        raise FetchRefusedError("only https addresses are fetched", unsafe=True)
    addresses = _resolve(host, port)
    if not addresses:
        raise FetchRefusedError(f"{host} does not resolve")
    if not testing:
        unsafe = [address for address in addresses if not is_public_address(address)]
        if unsafe:
            raise FetchRefusedError(
                f"{host} resolves to a non-public address ({unsafe[0]})", unsafe=True
            )
    return scheme, host, port, netloc, addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


_pool = threading.local()


def _connection(
    scheme: str, host: str, port: int, address: str, timeout: float
) -> tuple[http.client.HTTPConnection, bool]:
    connections: dict[tuple[str, str, int, str], http.client.HTTPConnection] = (
        _pool.__dict__.setdefault("connections", {})
    )
    key = (scheme, host, port, address)
    existing = connections.get(key)
    if existing is not None:
        existing.timeout = timeout
        return existing, True
    connection: http.client.HTTPConnection = (
        _PinnedHTTPSConnection(host, port, address, timeout)
        if scheme == "https"
        else _PinnedHTTPConnection(host, port, address, timeout)
    )
    connections[key] = connection
    return connection, False


def _drop(scheme: str, host: str, port: int, address: str) -> None:
    connections = _pool.__dict__.get("connections", {})
    connection = connections.pop((scheme, host, port, address), None)
    if connection is not None:
        connection.close()


def request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = 1_000_000,
    follow_redirects: bool = True,
) -> Response:
    """Make one request to a checked address; keep-alive connections are reused."""
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, netloc, address = check_url(url)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = {"User-Agent": user_agent(), "Host": netloc, **(headers or {})}
        for attempt in (1, 2):
            connection, reused = _connection(scheme, host, port, address, timeout)
            try:
                connection.request(method, target, body=body, headers=sent)
                answer = connection.getresponse()
                data = answer.read(max_bytes + 1)
                if len(data) > max_bytes:
                    _drop(scheme, host, port, address)
                    raise FetchRefusedError(f"the answer from {host} is too large")
                answer_headers = {name.lower(): value for name, value in answer.getheaders()}
                if answer_headers.get("connection", "").lower() == "close":
                    _drop(scheme, host, port, address)
                break
            except (OSError, http.client.HTTPException) as error:
                _drop(scheme, host, port, address)
                if reused and attempt == 1:
                    continue  # the server closed a kept-alive connection: try a fresh one
                raise FetchRefusedError(f"{host}: {error.__class__.__name__}: {error}") from error
        status = answer.status
        location = answer_headers.get("location")
        if (
            follow_redirects
            and method == "GET"
            and status in (301, 302, 303, 307, 308)
            and location
        ):
            url = urljoin(url, location)
            continue
        return Response(status=status, headers=answer_headers, body=data, url=url)
    raise FetchRefusedError("too many redirects")
