"""Clients given a secret an HTTP header cannot carry fail with their own error, never with
an encoding error (a 500 to whoever called)."""

import pytest

from medianest.integrations.overseerr.client import OverseerrClient, OverseerrConfig
from medianest.integrations.overseerr.errors import OverseerrAuthFailedError
from medianest.integrations.plex.client import PlexServerClient, PlexServerConfig
from medianest.integrations.plex.errors import PlexAuthFailedError

UNSAFE = ["pasted\u00a0token", "line\nbreak", "t\u00f6ken"]


@pytest.mark.parametrize("token", UNSAFE)
def test_plex_client_refuses_the_token_with_plex_auth_failed(token: str) -> None:
    config = PlexServerConfig(url="http://127.0.0.1:9", token=token, timeout_seconds=1)
    with pytest.raises(PlexAuthFailedError, match="cannot carry"):
        PlexServerClient(config)


@pytest.mark.parametrize("api_key", UNSAFE)
def test_overseerr_client_refuses_the_key_with_overseerr_auth_failed(api_key: str) -> None:
    config = OverseerrConfig(url="http://127.0.0.1:9", api_key=api_key, timeout_seconds=1)
    with pytest.raises(OverseerrAuthFailedError, match="cannot carry"):
        OverseerrClient(config)
