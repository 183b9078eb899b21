"""Which IP addresses a fetch may reach, and how to read every spelling of an IPv4 literal.

Browsers and C resolvers accept ``2130706433``, ``0x7f.1`` or ``0177.0.0.1`` for
127.0.0.1; an attacker who controls a feed URL can use them to slip past a check that
only knows dotted quads. We decode those forms ourselves (not via the platform's
``inet_aton``, whose leniency varies) so the guard sees the address the socket would.
Pure functions only.
"""

from __future__ import annotations

import ipaddress
import re

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_ULA = ipaddress.ip_network("fc00::/7")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NUMERIC_PART = re.compile(r"^(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)$")


def _parse_inet_aton_part(part: str) -> int | None:
    """One component of a legacy IPv4 literal: decimal, 0-prefixed octal or 0x hex."""
    if not _NUMERIC_PART.match(part):
        return None
    if part[:2].lower() == "0x":
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part[0] == "0":
        return int(part, 8)
    return int(part)


def parse_legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Decode ``a``, ``a.b``, ``a.b.c`` and ``a.b.c.d`` in decimal/octal/hex, like inet_aton.

    Returns None when ``host`` is not such a literal (then it is a name to resolve).
    """
    text = host[:-1] if host.endswith(".") else host
    parts = text.split(".")
    if not text or len(parts) > 4:
        return None
    values: list[int] = []
    for part in parts:
        value = _parse_inet_aton_part(part)
        if value is None:
            return None
        values.append(value)
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (5 - len(values)):
        return None
    number = 0
    for v in head:
        number = number * 256 + v
    number = number * 256 ** (5 - len(values)) + last
    return ipaddress.IPv4Address(number)


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host string denotes by itself, or None when it is a DNS name."""
    bare = host.strip("[]")
    if "%" in bare:  # scoped IPv6 (fe80::1%eth0) is link-local by construction
        bare = bare.split("%", 1)[0]
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        return parse_legacy_ipv4(bare)


def forbidden_reason(address: IPAddress) -> str | None:
    """Why a fetch must not connect to ``address``, or None when it is a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is None and address in _NAT64:
            mapped = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if mapped is not None:
            inner = forbidden_reason(mapped)
            return f"IPv6 wrapping of a {inner} address" if inner else None
        if address in _ULA:
            return "unique local (fc00::/7)"
    else:
        if address in _CGNAT:
            return "carrier-grade NAT (100.64.0.0/10)"
    checks: list[tuple[bool, str]] = [
        (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (address.is_reserved, "reserved"),
        (address.is_private, "private"),
        (not address.is_global, "non-global"),
    ]
    for hit, reason in checks:
        if hit:
            return reason
    return None
