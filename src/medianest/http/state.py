"""The process's resources, as routes reach them."""

from starlette.requests import HTTPConnection

from medianest.runtime.state import AppState


async def get_state(connection: HTTPConnection) -> AppState:
    state: AppState = connection.app.state.medianest
    return state
