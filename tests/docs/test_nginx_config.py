"""The shipped nginx site config is valid for nginx (Debian's package), as `nginx -t` says."""

from pathlib import Path

import pytest

from tests.fixtures.nginx import NGINX, SITE, install, nginx_test

pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (.ci/run installs it)"
)


def test_the_site_config_passes_nginx_t(tmp_path: Path) -> None:
    install(tmp_path, SITE.read_text(encoding="utf-8"))
    result = nginx_test(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_site_config_upgrades_websockets_for_socketio() -> None:
    site = SITE.read_text(encoding="utf-8")
    socketio = site.split("location /socket.io/", 1)[1].split("}", 1)[0]
    assert "proxy_set_header Upgrade $http_upgrade;" in socketio
    assert "proxy_set_header Connection $connection_upgrade;" in socketio
    assert "proxy_http_version 1.1;" in socketio


def test_a_broken_config_is_caught(tmp_path: Path) -> None:
    install(
        tmp_path,
        SITE.read_text(encoding="utf-8").replace("proxy_pass http:", "proxy_passs http:", 1),
    )
    assert nginx_test(tmp_path).returncode != 0
