"""The installation each schemathesis module runs against: one per module (per role), so
that pytest-xdist can run the two roles at once."""

from collections.abc import Iterator

import pytest

from tests.conftest import ServerEnv
from tests.fixtures.schemathesis import Site, running_site


@pytest.fixture(scope="module")
def site(server_env: ServerEnv, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(server_env, tmp_path_factory) as site:
        yield site
