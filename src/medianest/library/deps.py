"""The Plex browser for a request, on the currently configured server."""

from typing import Annotated

from fastapi import Depends

from medianest.http.deps import StateDep
from medianest.library.service import PlexBrowser


async def get_plex_browser(state: StateDep) -> PlexBrowser:
    return PlexBrowser(
        state.plex_client(),
        state.cache,
        api_base=f"{state.settings.base_path}/api/v1",
    )


PlexBrowserDep = Annotated[PlexBrowser, Depends(get_plex_browser)]
