"""Schemathesis over the whole API as a plain user (`tests/fixtures/schemathesis.py`)."""

from collections.abc import Iterator

import pytest

from tests.conftest import ServerEnv
from tests.fixtures.schemathesis import Site, assert_schemathesis_finds_nothing, running_site


@pytest.fixture(scope="module")
def site(server_env: ServerEnv, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(server_env, tmp_path_factory) as site:
        yield site


@pytest.mark.timeout(600)
def test_schemathesis_finds_nothing_as_user(site: Site) -> None:
    assert_schemathesis_finds_nothing(site, "user")
