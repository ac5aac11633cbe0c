"""The SSRF guard: user URLs against the allow-list, fetched URLs against internal addresses."""

import ipaddress
import socket
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medianest.kit import netguard
from medianest.kit.errors import ErrorCode
from medianest.kit.netguard import (
    UnsafeUrlError,
    allowed_host_set,
    check_fetch,
    check_url,
    normalise_host,
    unsafe_reason,
)

YOUTUBE = ["youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtu.be"]

# ---------------------------------------------------------------------------- check_url


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "http://youtube.com/playlist?list=PL123",
        "https://YouTube.COM./watch?v=x",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://music.youtube.com:443/watch?v=x",
        "  https://m.youtube.com/watch?v=x  ",
        "https://\uff59\uff4f\uff55\uff54\uff55\uff42\uff45.com/",  # fullwidth: IDNA maps them
    ],
)
def test_allow_listed_urls_pass(url: str) -> None:
    check_url(url, allowed_hosts=YOUTUBE)


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("https://evil.example/watch?v=x", "not allowed"),
        ("https://youtube.com.evil.example/", "not allowed"),
        ("https://evilyoutube.com/", "not allowed"),
        ("https://www.youtube.com@evil.example/", "user name"),
        ("https://user:pass@www.youtube.com/", "user name"),
        ("ftp://www.youtube.com/", "http and https"),
        ("file:///etc/passwd", "http and https"),
        ("javascript:alert(1)", "http and https"),
        ("//www.youtube.com/watch", "http and https"),
        ("https:///watch", "not a valid"),
        ("https://www.youtube.com:99999/", "not a valid"),
        ("https://www..youtube.com/", "not a valid"),
        ("https://[::1/", "not a valid"),
        ("http://localhost/", "not allowed"),
        ("http://127.0.0.1/", "not allowed"),
        ("https://youtube.com:22/watch?v=x", "youtube.com:22 is not allowed"),
        ("http://www.youtube.com:8080/watch?v=x", "www.youtube.com:8080 is not allowed"),
    ],
)
def test_other_urls_are_refused(url: str, fragment: str) -> None:
    with pytest.raises(UnsafeUrlError) as raised:
        check_url(url, allowed_hosts=YOUTUBE)
    assert fragment in raised.value.message
    assert raised.value.code is ErrorCode.UNSAFE_URL


def test_an_ip_literal_on_the_allow_list_matches_however_it_is_written() -> None:
    check_url("http://[0:0::1]:8000/", allowed_hosts=["[::1]:8000"])
    check_url("http://127.0.0.1:8000/", allowed_hosts=["127.0.0.1:8000"])
    with pytest.raises(UnsafeUrlError):
        check_url("http://127.1:8000/", allowed_hosts=["127.0.0.1:8000"])


def test_other_ports_only_where_the_allow_list_names_them() -> None:
    allowed = ["youtube.com", "videos.example:8443", "[::1]:8000"]
    for url in ["https://youtube.com:443/", "http://youtube.com:80/", "https://youtube.com/"]:
        check_url(url, allowed_hosts=allowed)
    check_url("https://videos.example:8443/watch", allowed_hosts=allowed)
    check_url("http://[::1]:8000/", allowed_hosts=allowed)
    for url in ["https://youtube.com:8443/", "https://videos.example/", "http://[::1]:8001/"]:
        with pytest.raises(UnsafeUrlError, match="is not allowed"):
            check_url(url, allowed_hosts=allowed)


def test_hosts_are_normalised() -> None:
    assert normalise_host("WWW.YouTube.com.") == "www.youtube.com"
    assert normalise_host("[::FFFF:127.0.0.1]") == "::ffff:7f00:1"
    assert normalise_host("bücher.example") == "xn--bcher-kva.example"
    assert allowed_host_set(["YouTube.com", "youtube.com."]) == {"youtube.com"}
    assert allowed_host_set(["YouTube.com:8080", "[::FFFF:127.0.0.1]:80", "::1"]) == {
        "youtube.com:8080",
        "[::ffff:7f00:1]:80",
        "::1",
    }
    for invalid in ["", ".", "a..b", "x" * 64 + ".example", "host%eth0"]:
        with pytest.raises((ValueError, UnicodeError)):
            normalise_host(invalid)
    for entry in ["youtube.com:", "youtube.com:0", "youtube.com:65536", "[::1]x", "h:٣"]:
        with pytest.raises((ValueError, UnicodeError)):
            allowed_host_set([entry])


# ---------------------------------------------------------------------------- addresses

UNSAFE = {
    "127.0.0.1": "loopback",
    "127.255.255.254": "loopback",
    "10.1.2.3": "private",
    "172.16.0.1": "private",
    "172.31.255.255": "private",
    "192.168.1.1": "private",
    "169.254.169.254": "cloud metadata",
    "169.254.170.2": "cloud metadata",
    "100.100.100.200": "cloud metadata",
    "192.0.0.192": "cloud metadata",
    "169.254.1.1": "link-local",
    "100.64.0.1": "shared",
    "100.127.255.255": "shared",
    "0.0.0.0": "unspecified",  # noqa: S104 - an address under test, not a bind
    "0.1.2.3": "unspecified",
    "224.0.0.1": "multicast",
    "239.255.255.250": "multicast",
    "240.0.0.1": "reserved",
    "255.255.255.255": "reserved",
    "192.0.2.1": "reserved",
    "198.18.0.1": "reserved",
    "::1": "loopback",
    "::": "unspecified",
    "fe80::1": "link-local",
    "fe80::1%eth0": "link-local",
    "fec0::1": "site-local",
    "fc00::1": "private",
    "fd12:3456::1": "private",
    "fd00:ec2::254": "cloud metadata",
    "ff02::1": "multicast",
    "100::1": "reserved",
    "2001:db8::1": "reserved",
    "::ffff:127.0.0.1": "IPv4-mapped loopback",
    "::ffff:10.0.0.1": "IPv4-mapped private",
    "::ffff:169.254.169.254": "IPv4-mapped cloud metadata",
    "::127.0.0.1": "IPv4-compatible loopback",
    "::a9fe:a9fe": "IPv4-compatible cloud metadata",
    "64:ff9b::127.0.0.1": "NAT64 loopback",
    "64:ff9b::a9fe:a9fe": "NAT64 cloud metadata",
    "64:ff9b:1::1.2.3.4": "local-use NAT64",
    "2002:7f00:1::1": "6to4 loopback",
    "2002:a9fe:a9fe::": "6to4 cloud metadata",
    "2002:c0a8:101::1": "6to4 private",
    # Teredo: server 65.54.227.120, client 127.0.0.1 (stored bit-inverted as 80ff:fffe).
    "2001:0:4136:e378:8000:63bf:80ff:fffe": "Teredo loopback",
    "2001:0:a00:1::1": "Teredo private",  # server 10.0.0.1
}
SAFE = [
    "8.8.8.8",
    "1.1.1.1",
    "142.250.185.78",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
]


def _ip(text: str) -> netguard.IPAddress:
    return ipaddress.ip_address(text)


@pytest.mark.parametrize(("address", "reason"), UNSAFE.items())
def test_internal_addresses_are_unsafe(address: str, reason: str) -> None:
    found = unsafe_reason(_ip(address))
    assert found is not None
    assert found.startswith(reason)


@pytest.mark.parametrize("address", SAFE)
def test_public_addresses_are_safe(address: str) -> None:
    assert unsafe_reason(_ip(address)) is None


@pytest.mark.parametrize("address", UNSAFE)
def test_fetching_an_internal_literal_is_refused(address: str) -> None:
    host = f"[{address.replace('%', '%25')}]" if ":" in address else address
    with pytest.raises(UnsafeUrlError) as raised:
        check_fetch(f"http://{host}:8080/x", allowed_hosts=YOUTUBE)
    assert UNSAFE[address] in raised.value.message
    assert raised.value.details["reason"].startswith(UNSAFE[address])


@pytest.mark.parametrize("address", SAFE)
def test_fetching_a_public_literal_passes(address: str) -> None:
    host = f"[{address}]" if ":" in address else address
    check_fetch(f"https://{host}/videoplayback", allowed_hosts=YOUTUBE)


@pytest.mark.parametrize(
    "host", ["localhost", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "LOCALHOST."]
)
def test_names_and_odd_spellings_are_judged_after_resolution(host: str) -> None:
    with pytest.raises(UnsafeUrlError) as raised:
        check_fetch(f"http://{host}:8000/", allowed_hosts=YOUTUBE)
    assert "loopback" in raised.value.message
    assert "127.0.0.1" not in raised.value.message  # the reason, never the addresses


def test_an_allow_listed_host_is_the_only_way_past_the_guard() -> None:
    check_fetch("http://127.0.0.1:8000/", allowed_hosts=["127.0.0.1:8000"])
    check_fetch("http://media.internal.test/", allowed_hosts=["media.internal.test"])
    with pytest.raises(UnsafeUrlError):
        check_fetch("http://127.0.0.1:8000/", allowed_hosts=["127.0.0.1"])  # only 80 and 443
    with pytest.raises(UnsafeUrlError):
        check_fetch("http://localhost:8000/", allowed_hosts=["127.0.0.1:8000"])
    with pytest.raises(UnsafeUrlError):
        check_fetch("http://[::ffff:127.0.0.1]:8000/", allowed_hosts=["127.0.0.1:8000"])


def test_fetch_refuses_other_schemes_and_credentials() -> None:
    for url in ["ftp://8.8.8.8/", "file:///etc/passwd", "gopher://8.8.8.8/", "http://u:p@8.8.8.8/"]:
        with pytest.raises(UnsafeUrlError):
            check_fetch(url, allowed_hosts=YOUTUBE)


# ---------------------------------------------------------------------------- resolution


def _resolving_to(*addresses: str) -> Any:
    def fake(host: str, port: Any, *_args: Any, **_kwargs: Any) -> list[Any]:
        family = socket.AF_INET6
        return [(family, socket.SOCK_STREAM, 6, "", (address, port)) for address in addresses]

    return fake


def test_one_internal_address_among_public_ones_is_enough(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _resolving_to("8.8.8.8", "10.0.0.7", "1.1.1.1"))
    with pytest.raises(UnsafeUrlError) as raised:
        check_fetch("https://cdn.example/v", allowed_hosts=YOUTUBE)
    assert "private" in raised.value.message
    assert "10.0.0.7" not in raised.value.message


def test_a_name_with_only_public_addresses_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _resolving_to("8.8.8.8", "2606:4700::1"))
    check_fetch("https://cdn.example/v", allowed_hosts=YOUTUBE)


def test_a_name_that_does_not_resolve_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*_args: Any, **_kwargs: Any) -> list[Any]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", failing)
    with pytest.raises(UnsafeUrlError, match="cannot be resolved"):
        check_fetch("https://nowhere.example/", allowed_hosts=YOUTUBE)
    monkeypatch.setattr(socket, "getaddrinfo", _resolving_to())
    with pytest.raises(UnsafeUrlError, match="cannot be resolved"):
        check_fetch("https://nowhere.example/", allowed_hosts=YOUTUBE)


# ---------------------------------------------------------------------------- properties

_UNSAFE_V4_NETWORKS = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "224.0.0.0/4",
    "240.0.0.0/4",
]


@st.composite
def unsafe_v4(draw: st.DrawFn) -> ipaddress.IPv4Address:
    network = ipaddress.IPv4Network(draw(st.sampled_from(_UNSAFE_V4_NETWORKS)))
    offset = draw(st.integers(0, network.num_addresses - 1))
    return network.network_address + offset


public_v4 = (
    st.integers(0, 2**32 - 1)
    .map(ipaddress.IPv4Address)
    .filter(lambda address: unsafe_reason(address) is None)
)


def wrappings(v4: ipaddress.IPv4Address) -> list[ipaddress.IPv6Address]:
    """Every IPv6 spelling that carries `v4`: mapped, compatible, NAT64, 6to4."""
    value = int(v4)
    return [
        ipaddress.IPv6Address((0xFFFF << 32) | value),
        ipaddress.IPv6Address(value),
        ipaddress.IPv6Address((0x0064FF9B << 96) | value),
        ipaddress.IPv6Address((0x2002 << 112) | (value << 80) | 1),
    ]


@settings(database=None)
@given(unsafe_v4())
def test_an_internal_ipv4_is_unsafe_in_every_ipv6_disguise(v4: ipaddress.IPv4Address) -> None:
    assert unsafe_reason(v4) is not None
    for v6 in wrappings(v4):
        if int(v4) <= 1 and int(v6) <= 1:
            continue  # :: and ::1 are themselves, not IPv4-compatible addresses
        assert unsafe_reason(v6) is not None, v6


@settings(database=None)
@given(public_v4)
def test_a_public_ipv4_stays_public_behind_the_translations(v4: ipaddress.IPv4Address) -> None:
    for v6 in wrappings(v4):
        assert unsafe_reason(v6) is None, v6


_V4_CARRIERS = [
    ipaddress.IPv6Network(network)
    for network in ("::ffff:0:0/96", "::/96", "64:ff9b::/96", "2002::/16", "2001::/32")
]


@settings(database=None)
@given(st.integers(0, 2**128 - 1).map(ipaddress.IPv6Address))
def test_any_ipv6_gets_a_verdict_consistent_with_python(v6: ipaddress.IPv6Address) -> None:
    """Never crashes, and never calls public what Python calls loopback, private or link-local."""
    reason = unsafe_reason(v6)
    carries_v4 = any(v6 in network for network in _V4_CARRIERS)
    if not carries_v4 and (v6.is_loopback or v6.is_link_local or not v6.is_global):
        assert reason is not None
