"""The committed Postman collection is what openapi.json generates, and it passes when newman
runs it against a live server: the Flow folder in order, then every GET of the API as a smoke
test (ids and image paths picked up by the Flow). The server is the demo's: the fakes of
plex.tv, Plex, Overseerr, TMDB and a video site, seeded through the API."""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scripts.demo import ADMIN_EMAIL, ADMIN_PASSWORD, demo_env, running_fakes, seed

from tests.conftest import ServerEnv
from tests.fixtures.server import LiveServer, start_server

ROOT = Path(__file__).resolve().parents[2]
COLLECTION = ROOT / "postman" / "medianest.postman_collection.json"
NEWMAN_SECONDS = 300

# The demo starts five fake services and seeds a download before newman runs.
pytestmark = pytest.mark.timeout(600)


def test_committed_collection_matches_openapi() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_postman.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_every_operation_is_in_the_collection() -> None:
    spec = json.loads((ROOT / "openapi.json").read_text())
    described = {
        (method.upper(), "/".join(f":{p[1:-1]}" if p[:1] == "{" else p for p in path.split("/")))
        for path, item in spec["paths"].items()
        for method in item
    }
    collected = {
        (item["request"]["method"], "/" + "/".join(item["request"]["url"]["path"]))
        for folder in collection()["item"][1:]
        for item in folder["item"]
    }
    assert collected == described


def collection() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(COLLECTION.read_text())
    return loaded


def smoke_requests() -> list[str]:
    """Every GET of the API sections (not the Flow's), by request name."""
    return [
        item["name"]
        for folder in collection()["item"][1:]
        for item in folder["item"]
        if item["request"]["method"] == "GET"
    ]


@pytest.fixture(scope="module")
def demo(
    server_env: ServerEnv, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, str]]:
    """A seeded demo server, and a video URL it may download."""
    with running_fakes(tmp_path_factory.mktemp("postman-fakes")) as fakes:
        data_dir = Path(tmp_path_factory.mktemp("postman-data"))
        env = server_env(**demo_env(fakes, data_dir))
        live = start_server(env, workdir=tmp_path_factory.mktemp("postman"))
        try:
            with live.client(timeout=30) as http:
                seed(http, fakes)
            yield live, fakes.videos.watch_url("clip")
        finally:
            live.stop()


def test_newman_runs_the_flow_and_every_get_and_each_passes_its_tests(
    demo: tuple[LiveServer, str], tmp_path: Path
) -> None:
    server, video_url = demo
    report = tmp_path / "newman.json"
    folders = ["Flow", *smoke_requests()]
    result = subprocess.run(
        [
            str(ROOT / "scripts" / "api-tools"),
            "newman",
            "run",
            str(COLLECTION),
            *(
                f"--env-var={name}={value}"
                for name, value in {
                    "baseUrl": server.base_url,
                    "email": ADMIN_EMAIL,
                    "password": ADMIN_PASSWORD,
                    "videoUrl": video_url,
                }.items()
            ),
            *(arg for folder in folders for arg in ("--folder", folder)),
            "--timeout-request=30000",
            "--reporters=cli,json",
            f"--reporter-json-export={report}",
            "--color=off",
            "--disable-unicode",
        ],
        capture_output=True,
        text=True,
        timeout=NEWMAN_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]

    run = json.loads(report.read_text())["run"]
    assert run["failures"] == []
    # A script's own calls (sign-in, refresh) are executions of its item too: the request's
    # own answer is its item's last.
    answers = {execution["item"]["name"]: execution for execution in run["executions"]}
    flow = [item["name"] for item in collection()["item"][0]["item"]]
    assert list(answers) == flow + smoke_requests(), "every request ran, the Flow first"
    not_ok = [
        f"{name}: {answers[name]['response']['code']}"
        for name in smoke_requests()
        if not 200 <= answers[name]["response"]["code"] < 300
    ]
    assert not not_ok, "after the Flow, every GET finds what it asks for"
