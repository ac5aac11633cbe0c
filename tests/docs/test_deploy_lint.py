"""The container artefacts no engine builds here are linted: the Dockerfile by hadolint, the
image's entrypoint by shellcheck, and both compose files against the Compose Specification's
JSON schema (the copy check-jsonschema ships, licence in its `vendor/licenses`; nothing is
fetched). Each tool is pinned in uv.lock's dev group."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DOCKERFILE = ROOT / "Dockerfile"
ENTRYPOINT = ROOT / "deploy" / "docker-entrypoint.sh"
COMPOSE_FILES = [ROOT / "compose.yaml", ROOT / "compose.prod.yaml"]
SITE = ROOT / "deploy" / "nginx" / "medianest.conf"


def _run(tool: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN / tool, *map(str, args)], capture_output=True, text=True, check=False, cwd=ROOT
    )


def _compose_check(*files: Path) -> subprocess.CompletedProcess[str]:
    return _run("check-jsonschema", "--builtin-schema", "vendor.compose-spec", *files)


def test_hadolint_passes_the_dockerfile() -> None:
    result = _run("hadolint", DOCKERFILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_catches_a_bad_dockerfile(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN cd /opt && apt-get install curl\n", encoding="utf-8")
    result = _run("hadolint", bad)
    assert result.returncode != 0
    assert "DL3007" in result.stdout  # :latest


def test_the_image_runs_the_entrypoint_script() -> None:
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    assert "deploy/docker-entrypoint.sh /usr/local/bin/medianest-entrypoint" in dockerfile
    assert 'ENTRYPOINT ["medianest-entrypoint"]' in dockerfile


def test_shellcheck_passes_the_entrypoint_as_posix_sh() -> None:
    result = _run("shellcheck", "--shell=sh", ENTRYPOINT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("compose", COMPOSE_FILES, ids=lambda path: path.name)
def test_the_compose_file_follows_the_compose_specification(compose: Path) -> None:
    result = _compose_check(compose)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_mistake(tmp_path: Path) -> None:
    production = yaml.safe_load(COMPOSE_FILES[1].read_text(encoding="utf-8"))
    production["services"]["worker"]["depends_on"]["migrate"]["condition"] = "service_done"
    broken = tmp_path / "compose.yaml"
    broken.write_text(yaml.safe_dump(production), encoding="utf-8")
    assert _compose_check(broken).returncode != 0


def test_every_process_of_the_production_compose_shares_the_secrets() -> None:
    services = yaml.safe_load(COMPOSE_FILES[1].read_text(encoding="utf-8"))["services"]
    medianest = {name for name, service in services.items() if service.get("build") == "."}
    assert medianest == {"migrate", "api-1", "api-2", "worker"}
    for name in medianest:
        environment = services[name]["environment"]
        for secret in ("JWT_SECRET", "ENCRYPTION_KEY", "PLEX_CLIENT_ID"):
            # Required from .env: compose refuses to start without them.
            assert environment[secret].startswith(f"${{{secret}:?"), (name, secret)
    assert services["api-1"]["command"] == ["serve", "--no-migrate"]
    assert services["api-2"] == services["api-1"]


def test_the_production_nginx_proxies_to_both_replicas(tmp_path: Path) -> None:
    """The compose file's nginx rewrites the shipped site config; it must still match it."""
    nginx = yaml.safe_load(COMPOSE_FILES[1].read_text(encoding="utf-8"))["services"]["nginx"]
    rewrite = nginx["command"][2].split(" && ")[0]
    site = tmp_path / "default.conf"
    rewrite = (
        rewrite.replace("/etc/medianest/medianest.conf", str(SITE))
        .replace("/etc/nginx/conf.d/default.conf", str(site))
        .replace("${MEDIANEST_DOMAIN}", "media.example.org")
    )
    subprocess.run(["sh", "-c", rewrite], check=True)
    written = site.read_text(encoding="utf-8")
    upstream = written.split("upstream medianest {", 1)[1].split("}", 1)[0]
    servers = [
        line.split()[1] for line in upstream.splitlines() if line.strip().startswith("server")
    ]
    assert servers == ["api-1:8000", "api-2:8000"]
    assert "server_name media.example.org;" in written
    assert "medianest.example.com" not in written
