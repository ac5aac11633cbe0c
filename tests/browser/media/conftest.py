"""The media world of the discover and request tests: a server on the fake Overseerr and the
fake TMDB image host, its people, and the friend signed in."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.browser.harness import sign_in_with_password
from tests.browser.media_world import People, delete_all_requests, make_people, media_env
from tests.fakes.overseerr import FakeOverseerr
from tests.fakes.tmdb import FakeTmdbImages
from tests.fixtures.server import LiveServer


@pytest.fixture(scope="module")
def web_server_env(
    overseerr_server: FakeOverseerr, tmdb_images_server: FakeTmdbImages
) -> dict[str, str]:
    """The module's server talks to the fake Overseerr and the fake TMDB image host."""
    return media_env(overseerr_server, tmdb_images_server)


@pytest.fixture(scope="module")
def people(web_server: LiveServer) -> People:
    return make_people(web_server)


@pytest.fixture
def friend_page(
    page: Page, web_server: LiveServer, people: People, overseerr: FakeOverseerr
) -> Iterator[Page]:
    """The friend, signed in, with a fresh fake Overseerr and no requests in MediaNest."""
    del overseerr  # reset around the test
    sign_in_with_password(page, people.friend.email, people.friend.password)
    yield page
    delete_all_requests(web_server, people.admin)
