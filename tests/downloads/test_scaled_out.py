"""The scaled-out shape: API processes that only serve, a separate `medianest worker`, one
PostgreSQL and one Redis between them."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ServerEnv
from tests.downloads.conftest import downloads_env
from tests.downloads.test_downloads import FINISHED, queue, wait_for
from tests.fakes.plex import FakePlexServer, FakePlexTv
from tests.fakes.videos import FakeVideoSite
from tests.fixtures.accounts import bootstrap_admin
from tests.fixtures.backends import Backends
from tests.fixtures.server import LiveServer, start_server, start_worker
from tests.fixtures.sockets import listening


@pytest.fixture
def processes(
    server_env: ServerEnv,
    backends: Backends,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    video_site: FakeVideoSite,
    tmp_path: Path,
) -> Iterator[tuple[LiveServer, LiveServer, LiveServer, Path]]:
    library = tmp_path / "library"
    env = downloads_env(
        server_env,
        library,
        plex_tv,
        plex_server,
        video_site,
        DATABASE_URL=backends.new_database(),
        EMBEDDED_WORKER="false",
    )
    started: list[LiveServer] = []
    try:
        started.append(start_server(env, workdir=tmp_path))
        started.append(start_server(env, workdir=tmp_path))
        started.append(start_worker(env, workdir=tmp_path))
        yield started[0], started[1], started[2], library
    finally:
        for process in reversed(started):
            process.stop()


@pytest.mark.redis
async def test_a_worker_downloads_and_a_client_of_another_api_process_hears_it(
    processes: tuple[LiveServer, LiveServer, LiveServer, Path], videos: FakeVideoSite
) -> None:
    a, b, worker, library = processes
    with b.client() as http:
        admin = bootstrap_admin(http)
    async with listening(a, "/media", token=admin.token) as socket:
        with b.client() as http:
            download = queue(http, admin.bearer, videos.watch_url("clip"))
            done = wait_for(http, admin.bearer, download["id"], FINISHED)
        await socket.names_until("download:completed", about=download["id"])
    assert done["status"] == "completed", done
    assert (library / done["files"][0]["path"]).is_file()
    assert worker.log_line("downloads.completed")
    assert "downloads.started" not in a.logs() + b.logs()
