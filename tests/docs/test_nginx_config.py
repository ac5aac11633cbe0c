"""The shipped nginx site config is valid for nginx (Debian's package), as `nginx -t` says."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "medianest.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (.ci/run installs it)"
)

MAIN_CONFIG = """\
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""


def _self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=medianest.example.com", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def _nginx_test(prefix: Path) -> subprocess.CompletedProcess[str]:
    assert NGINX is not None
    return subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )


def _install(prefix: Path, site: str) -> None:
    cert, key = _self_signed_certificate(prefix)
    live = "/etc/letsencrypt/live/medianest.example.com"
    site = site.replace(f"{live}/fullchain.pem", str(cert)).replace(f"{live}/privkey.pem", str(key))
    (prefix / "site.conf").write_text(site, encoding="utf-8")
    (prefix / "nginx.conf").write_text(MAIN_CONFIG.format(prefix=prefix), encoding="utf-8")


def test_the_site_config_passes_nginx_t(tmp_path: Path) -> None:
    _install(tmp_path, SITE.read_text(encoding="utf-8"))
    result = _nginx_test(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_site_config_upgrades_websockets_for_socketio() -> None:
    site = SITE.read_text(encoding="utf-8")
    socketio = site.split("location /socket.io/", 1)[1].split("}", 1)[0]
    assert "proxy_set_header Upgrade $http_upgrade;" in socketio
    assert "proxy_set_header Connection $connection_upgrade;" in socketio
    assert "proxy_http_version 1.1;" in socketio


def test_a_broken_config_is_caught(tmp_path: Path) -> None:
    _install(
        tmp_path,
        SITE.read_text(encoding="utf-8").replace("proxy_pass http:", "proxy_passs http:", 1),
    )
    assert _nginx_test(tmp_path).returncode != 0
