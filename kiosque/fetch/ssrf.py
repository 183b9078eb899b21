"""The server-side request forgery guard: decide which IP a request may connect to.

Feed URLs come from operators, from OPML imports and from publishers' redirects, so a
URL can point anywhere: at the metadata service of a cloud host, at a database on the
private network, at the instance itself. The guard resolves the name once, refuses the
exchange when ANY address is not public, and hands back the checked addresses so the
client connects to exactly those (see ``transport``): resolving again at connect time
would let a DNS answer with a short TTL say "public" to the check and "private" to the
socket (DNS rebinding).

Hosts listed in ``settings.allowed_hosts`` (``host`` or ``host:port``) skip the check
entirely and are connected to by name: they are the operator's explicit trust. An entry
that is an address (``127.0.0.1``) also allows names that resolve to it; that reaches
nothing the literal URL could not reach already.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Iterable

import httpx

from kiosque.fetch.addresses import forbidden_reason, parse_ip_literal
from kiosque.fetch.errors import FetchFailure

Resolver = Callable[[str, int], Awaitable[list[str]]]

DEFAULT_PORTS = {"http": 80, "https": 443}


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve with the event loop's getaddrinfo, returning unique address strings."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        addr = str(info[4][0])
        if addr not in seen:
            seen.append(addr)
    return seen


def host_key(url: httpx.URL) -> str:
    """``host:port`` (port made explicit) : the unit of politeness and of robots.txt."""
    port = url.port or DEFAULT_PORTS.get(url.scheme, 0)
    host = url.host
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{port}"


def is_allowed_host(url: httpx.URL, allowed: Iterable[str]) -> bool:
    """Whether the operator exempted this host (by name, or by name and port)."""
    host = url.host.lower().rstrip(".")
    key = host_key(url).lower()
    for entry in allowed:
        item = entry.strip().lower().rstrip(".")
        if item in (host, key) or item.strip("[]") == host:
            return True
    return False


def check_scheme(url: httpx.URL) -> None:
    """Only plain web URLs: no file:, ftp:, gopher: or data: surprises."""
    if url.scheme not in DEFAULT_PORTS:
        raise FetchFailure("bad_url", f"Only http and https URLs are fetched, not {url}.")
    if not url.host:
        raise FetchFailure("bad_url", f"The URL {url} has no host.")


class SsrfGuard:
    """Resolves a URL's host and refuses non-public destinations."""

    def __init__(self, allowed_hosts: Iterable[str], resolver: Resolver | None = None,
                 resolve_timeout_s: float = 10.0) -> None:
        self._allowed = list(allowed_hosts)
        self._resolver: Resolver = resolver or system_resolver
        self._timeout = resolve_timeout_s

    async def check(self, url: httpx.URL) -> list[str]:
        """The checked addresses to connect to, in order; raises ``FetchFailure`` else.

        An empty list means "connect by name": the operator allowed this host name.
        """
        check_scheme(url)
        if is_allowed_host(url, self._allowed):
            return []
        port = url.port or DEFAULT_PORTS[url.scheme]
        literal = parse_ip_literal(url.host)
        if literal is not None:
            addresses = [str(literal)]
        else:
            try:
                async with asyncio.timeout(self._timeout):
                    addresses = await self._resolver(url.host, port)
            except TimeoutError as exc:
                raise FetchFailure("timeout", f"Resolving {url.host} took longer than "
                                   f"{self._timeout:g} s.") from exc
            except OSError as exc:
                raise FetchFailure("connect", f"The name {url.host} could not be "
                                   f"resolved ({exc}).") from exc
            if not addresses:
                raise FetchFailure("connect", f"The name {url.host} has no address.")
        checked: list[str] = []
        for text in addresses:
            address = parse_ip_literal(text)
            if address is None:
                raise FetchFailure("ssrf", f"The resolver returned {text!r} for {url.host}, "
                                   "which is not an IP address.")
            if not self._allowed_address(str(address), port):
                reason = forbidden_reason(address)
                if reason is not None:
                    raise FetchFailure("ssrf", f"{url.host} points to {address}, a {reason} "
                                       "address; add it to allowed_hosts to fetch it.")
            checked.append(str(address))
        return checked

    def _allowed_address(self, address: str, port: int) -> bool:
        """An allowed_hosts entry may also name an address (``127.0.0.1`` for the simulator)."""
        shown = f"[{address}]" if ":" in address else address
        wanted = {address, shown, f"{shown}:{port}"}
        return any(entry.strip().lower() in wanted for entry in self._allowed)
