"""The process's resources, as routes reach them."""

from starlette.requests import HTTPConnection

from medianest.runtime.state import AppState


def app_state(connection: HTTPConnection) -> AppState:
    """The process's resources, for a dependency that takes the request anyway: one
    dependency fewer for FastAPI to solve than `StateDep`."""
    state: AppState = connection.app.state.medianest
    return state


async def get_state(connection: HTTPConnection) -> AppState:
    return app_state(connection)
