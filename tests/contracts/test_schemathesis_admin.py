"""Schemathesis over the whole API as the admin (`tests/fixtures/schemathesis.py`)."""

import pytest

from tests.fixtures.schemathesis import Site, assert_schemathesis_finds_nothing


@pytest.mark.timeout(600)
def test_schemathesis_finds_nothing_as_admin(site: Site) -> None:
    assert_schemathesis_finds_nothing(site, "admin")
