"""The SSRF guard: which URLs MediaNest may be asked to fetch, decided after DNS resolution.

Two questions, two functions:

- `check_url` vets the URL a *user* submits: http(s), no credentials in it, and a host on
  the allow-list (YouTube's host names by default). Nothing else is ever accepted there.
- `check_fetch` vets *every* URL actually fetched on the user's behalf: the first one, each
  redirect, media, thumbnails. Sites legitimately send us to hosts we cannot list (YouTube's
  media comes from googlevideo.com), so instead of a list this asks where the name leads: it
  is resolved, and it is refused when ANY of its addresses is not a public unicast address.
  "Any", not "the first", because the HTTP client may try the addresses in another order.

An allow-list entry is the only way past the address guard, and only for that exact host
name or literal address (tests allow 127.0.0.1), on ports 80 and 443 unless the entry names
its port (`127.0.0.1:8080`, `[::1]:8080`): `youtube.com:22` is not YouTube. Names are
compared after lower-casing, IDNA encoding and dropping a trailing dot, so `YouTube.com.` and
`youtube.com` are one host; anything else that merely resolves to an allowed address
(`127.1`, `localhost`) is not.

IPv4 addresses hidden in IPv6 (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo) are
unwrapped and judged by the IPv4 rules: `[::ffff:127.0.0.1]` is loopback, however written.

Refusals raise `UnsafeUrlError` naming the host and a short reason, never the addresses a
name resolved to, so the error cannot be used to map an internal network.
"""

import ipaddress
import socket
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Final
from urllib.parse import SplitResult, urlsplit

from medianest.kit.errors import AppError, ErrorCode

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES: Final = frozenset({"http", "https"})
WEB_PORTS: Final = frozenset({None, 80, 443})
"""The ports an allow-list entry without a port of its own allows (None: the scheme's)."""


class UnsafeUrlError(AppError):
    """A URL MediaNest will not fetch: wrong scheme or host, or an internal address."""

    code = ErrorCode.UNSAFE_URL
    default_message = "This URL is not allowed."


# ------------------------------------------------------------------------- address rules


def _v4(network: str) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network(network)


def _v6(network: str) -> ipaddress.IPv6Network:
    return ipaddress.IPv6Network(network)


# Named explicitly rather than left to `ipaddress`'s is_private/is_global, whose tables
# changed between Python patch releases; the property checks below still catch the rest.
_METADATA: Final = frozenset(
    ipaddress.ip_address(address)
    for address in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean...
        "169.254.170.2",  # AWS ECS task metadata
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
        "fd00:ec2::254",  # AWS over IPv6
    )
)
_V4_RULES: Final = (
    (_v4("0.0.0.0/8"), "unspecified"),
    (_v4("10.0.0.0/8"), "private"),
    (_v4("100.64.0.0/10"), "shared (carrier-grade NAT)"),
    (_v4("127.0.0.0/8"), "loopback"),
    (_v4("169.254.0.0/16"), "link-local"),
    (_v4("172.16.0.0/12"), "private"),
    (_v4("192.0.0.0/24"), "reserved"),
    (_v4("192.0.2.0/24"), "reserved"),
    (_v4("192.88.99.0/24"), "reserved"),
    (_v4("192.168.0.0/16"), "private"),
    (_v4("198.18.0.0/15"), "reserved"),
    (_v4("198.51.100.0/24"), "reserved"),
    (_v4("203.0.113.0/24"), "reserved"),
    (_v4("224.0.0.0/4"), "multicast"),
    (_v4("240.0.0.0/4"), "reserved"),
)
_V6_RULES: Final = (
    (_v6("::/128"), "unspecified"),
    (_v6("::1/128"), "loopback"),
    (_v6("64:ff9b:1::/48"), "local-use NAT64"),
    (_v6("100::/64"), "reserved"),
    (_v6("2001:db8::/32"), "reserved"),
    (_v6("fc00::/7"), "private"),
    (_v6("fe80::/10"), "link-local"),
    (_v6("fec0::/10"), "site-local"),
    (_v6("ff00::/8"), "multicast"),
)
_IPV4_COMPATIBLE: Final = _v6("::/96")
_NAT64: Final = _v6("64:ff9b::/96")


def _property_reason(address: IPAddress) -> str | None:
    """What `ipaddress` itself knows, for anything the tables above do not name."""
    checks = (
        (address.is_loopback, "loopback"),
        (address.is_private, "private"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (address.is_reserved, "reserved"),
        (address.is_unspecified, "unspecified"),
        (not address.is_global, "not public"),
    )
    return next((reason for failed, reason in checks if failed), None)


def _v4_reason(address: ipaddress.IPv4Address) -> str | None:
    if address in _METADATA:
        return "cloud metadata"
    reason = next((why for network, why in _V4_RULES if address in network), None)
    return reason or _property_reason(address)


def _embedded_v4(address: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses an IPv6 address carries, with the name of the wrapping."""
    if address.ipv4_mapped is not None:
        return [("IPv4-mapped", address.ipv4_mapped)]
    if address in _NAT64:
        return [("NAT64", ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))]
    if address.sixtofour is not None:
        return [("6to4", address.sixtofour)]
    if address.teredo is not None:
        server, client = address.teredo
        return [("Teredo", server), ("Teredo", client)]
    if address in _IPV4_COMPATIBLE and int(address) > 1:
        return [("IPv4-compatible", ipaddress.IPv4Address(int(address)))]
    return []


def _v6_reason(address: ipaddress.IPv6Address) -> str | None:
    if address.scope_id:
        address = ipaddress.IPv6Address(str(address).split("%", 1)[0])
    if address in _METADATA:
        return "cloud metadata"
    embedded = _embedded_v4(address)
    if embedded:
        # Judged only by what they wrap: Python counts some of these ranges as non-global
        # although a public IPv4 behind them is as public as the IPv4 itself.
        return next(
            (f"{kind} {why}" for kind, v4 in embedded if (why := _v4_reason(v4))),
            None,
        )
    reason = next((why for network, why in _V6_RULES if address in network), None)
    return reason or _property_reason(address)


def unsafe_reason(address: IPAddress) -> str | None:
    """Why MediaNest must not connect to `address` (a short phrase), or None when public."""
    if isinstance(address, ipaddress.IPv4Address):
        return _v4_reason(address)
    return _v6_reason(address)


# ------------------------------------------------------------------------- host names


@dataclass(frozen=True, slots=True)
class _Target:
    host: str  # normalised: lower case, IDNA, no trailing dot, IPv6 without brackets
    port: int | None


def normalise_host(host: str) -> str:
    """The comparable form of a host name or literal address (raises ValueError if invalid)."""
    host = host.strip().removeprefix("[").removesuffix("]").rstrip(".").lower()
    if not host:
        raise ValueError("empty host")
    try:
        return ipaddress.ip_address(host).compressed
    except ValueError:
        pass
    if "%" in host:  # only IPv6 literals may carry a zone
        raise ValueError("invalid host")
    return host.encode("idna").decode("ascii")


def normalise_allowed_host(entry: str) -> str:
    """An allow-list entry in comparable form: `host`, or `host:port` (`[v6]:port`) when it
    names a port (raises ValueError if invalid)."""
    host, port = _split_port(entry.strip())
    return _host_and_port(normalise_host(host), port)


def _split_port(entry: str) -> tuple[str, int | None]:
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        if not rest:
            return host, None
        if not rest.startswith(":"):
            raise ValueError("invalid host")
        return host, _port(rest[1:])
    if entry.count(":") == 1:
        host, _, port = entry.partition(":")
        return host, _port(port)
    return entry, None  # a name, or an IPv6 address without brackets (no port then)


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 65535):  # noqa: PLR2004
        raise ValueError("invalid port")
    return int(text)


def _host_and_port(host: str, port: int | None) -> str:
    if port is None:
        return host
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def allowed_host_set(hosts: Iterable[str]) -> frozenset[str]:
    """The allow-list in normalised form; an entry that is no valid host is an error."""
    return frozenset(normalise_allowed_host(host) for host in hosts)


def _parse_checked(url: str) -> _Target:
    """The URL's parts, when it is an http(s) URL without credentials."""
    try:
        parts: SplitResult = urlsplit(url.strip())
    except ValueError:
        raise UnsafeUrlError("This is not a valid http(s) URL.") from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeUrlError("Only http and https URLs are allowed.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrlError("URLs with a user name or password are not allowed.")
    try:
        return _Target(host=normalise_host(parts.hostname or ""), port=parts.port)
    except (ValueError, UnicodeError):
        raise UnsafeUrlError("This is not a valid http(s) URL.") from None


def _is_allowed(target: _Target, allowed_hosts: Collection[str]) -> bool:
    """Is the host on the list with this very port, or without a port and this is 80/443?"""
    allowed = allowed_host_set(allowed_hosts)
    if target.port is not None and _host_and_port(target.host, target.port) in allowed:
        return True
    return target.port in WEB_PORTS and target.host in allowed


# ------------------------------------------------------------------------- resolution


def _resolve(host: str, port: int | None) -> list[IPAddress]:
    """Every address the name resolves to (the literal itself for an IP address)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeUrlError(f"The host {host} cannot be resolved.") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses:
        raise UnsafeUrlError(f"The host {host} cannot be resolved.")
    return addresses


# ------------------------------------------------------------------------- the checks


def check_url(url: str, *, allowed_hosts: Collection[str]) -> None:
    """Refuse a user-submitted URL unless it is http(s) on an allow-listed host.

    `allowed_hosts` may be raw (as in settings) or already normalised by `allowed_host_set`.
    """
    target = _parse_checked(url)
    if not _is_allowed(target, allowed_hosts):
        where = _host_and_port(target.host, None if target.port in WEB_PORTS else target.port)
        raise UnsafeUrlError(
            f"{where} is not allowed: only "
            f"{', '.join(sorted(allowed_host_set(allowed_hosts)))} may be used (on ports 80 "
            "and 443 where no port is named).",
            details={"host": target.host, "port": target.port},
        )


def check_fetch(url: str, *, allowed_hosts: Collection[str]) -> None:
    """Refuse to fetch `url` when its host resolves to any non-public address.

    A host literally on the allow-list passes without resolution: that entry is the only
    way past the address guard.
    """
    target = _parse_checked(url)
    if _is_allowed(target, allowed_hosts):
        return
    for address in _resolve(target.host, target.port):
        reason = unsafe_reason(address)
        if reason is not None:
            raise UnsafeUrlError(
                f"Refusing to fetch from {target.host}: it leads to a non-public address "
                f"({reason}).",
                details={"host": target.host, "reason": reason},
            )


# ------------------------------------------------------------------------- service addresses

# Names the clouds give their metadata services; refused without asking DNS, whose answer
# inside such a cloud is exactly the address being guarded.
_METADATA_NAMES: Final = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "metadata.azure.internal",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.tencentyun.com",
        "metadata.platformequinix.com",
    }
)


def _service_v4_reason(address: ipaddress.IPv4Address) -> str | None:
    if address in _METADATA:
        return "cloud metadata"
    checks = (
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (address.is_unspecified, "unspecified"),
    )
    return next((reason for failed, reason in checks if failed), None)


def service_address_reason(address: IPAddress) -> str | None:
    """Why a configured service (Plex, Overseerr, the mail server) must not live at
    `address`, or None. Unlike `unsafe_reason`, the home network (private addresses,
    loopback) is fine: only link-local, cloud metadata, multicast and unspecified are not."""
    if isinstance(address, ipaddress.IPv4Address):
        return _service_v4_reason(address)
    if address.scope_id:
        address = ipaddress.IPv6Address(str(address).split("%", 1)[0])
    if address in _METADATA:
        return "cloud metadata"
    embedded = _embedded_v4(address)
    if embedded:
        return next(
            (f"{kind} {why}" for kind, v4 in embedded if (why := _service_v4_reason(v4))), None
        )
    checks = (
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (address.is_unspecified, "unspecified"),
    )
    return next((reason for failed, reason in checks if failed), None)


def check_service_host(host: str, port: int | None = None) -> None:
    """Refuse a service host name or address that is, or resolves to, a link-local, cloud
    metadata, multicast or unspecified address (UnsafeUrlError); an unresolvable name too."""
    try:
        name = normalise_host(host)
    except (ValueError, UnicodeError):
        raise UnsafeUrlError("This is not a valid host name or IP address.") from None
    if name in _METADATA_NAMES:
        raise UnsafeUrlError(
            f"{name} is a cloud metadata service, not one of yours.",
            details={"host": name, "reason": "cloud metadata"},
        )
    for address in _resolve(name, port):
        reason = service_address_reason(address)
        if reason is not None:
            raise UnsafeUrlError(
                f"{name} leads to an address MediaNest never connects to ({reason}).",
                details={"host": name, "reason": reason},
            )


def check_service_url(url: str) -> None:
    """`check_service_host` for an http(s) URL without credentials (UnsafeUrlError)."""
    target = _parse_checked(url)
    check_service_host(target.host, target.port)
