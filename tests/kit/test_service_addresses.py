"""Where a configured service (Plex, Overseerr, mail) may live: the home network yes,
link-local and cloud metadata never, however the address is written."""

import pytest

from medianest.kit.netguard import UnsafeUrlError, check_service_host, check_service_url


@pytest.mark.parametrize(
    "url",
    [
        "http://192.168.1.10:32400",
        "http://10.0.0.5:5055",
        "http://127.0.0.1:5055",
        "http://localhost:32400",
        "https://[::1]:443",
        "http://[fd12:3456::1]:32400",
        "http://100.64.1.1:32400",
    ],
)
def test_home_network_services_are_fine(url: str) -> None:
    check_service_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/",
        "http://169.254.1.1:32400",
        "http://[fe80::1%25eth0]:32400",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:169.254.169.254]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://100.100.100.200/",
        "http://metadata.google.internal/",
        "http://METADATA.Google.Internal./",
        "http://0.0.0.0:32400",
        "http://224.0.0.1/",
        "http://user:pass@192.168.1.10/",
        "ftp://192.168.1.10/",
        "http://no-such-host.invalid/",
    ],
)
def test_link_local_metadata_and_odd_addresses_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrlError):
        check_service_url(url)


def test_a_bare_mail_host_is_checked_the_same_way() -> None:
    check_service_host("192.168.1.2")
    with pytest.raises(UnsafeUrlError, match="metadata"):
        check_service_host("169.254.169.254")
