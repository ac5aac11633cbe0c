"""Schemathesis over the whole API as a plain user (`tests/fixtures/schemathesis.py`)."""

import pytest

from tests.fixtures.schemathesis import Site, assert_schemathesis_finds_nothing


@pytest.mark.timeout(600)
def test_schemathesis_finds_nothing_as_user(site: Site) -> None:
    assert_schemathesis_finds_nothing(site, "user")
