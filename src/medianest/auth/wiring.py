"""The auth domain's services made from the process's resources, for routes, the socket.io
handshake and commands alike."""

from sqlalchemy.ext.asyncio import AsyncSession

from medianest.auth.service.accounts import AccountService
from medianest.auth.service.api_keys import ApiKeyService
from medianest.auth.service.config import auth_config
from medianest.auth.service.password_reset import PasswordResetService
from medianest.auth.service.sessions import SessionService
from medianest.realtime.disconnects import Disconnector
from medianest.runtime.state import AppState


def session_service(db: AsyncSession, state: AppState) -> SessionService:
    return SessionService(
        db,
        state.sessionmaker,
        auth_config(state.settings),
        disconnector=Disconnector(state.pubsub),
    )


def api_key_service(db: AsyncSession, state: AppState) -> ApiKeyService:
    return ApiKeyService(db, state.sessionmaker)


def password_reset_service(db: AsyncSession, state: AppState) -> PasswordResetService:
    return PasswordResetService(
        db, auth_config(state.settings), disconnector=Disconnector(state.pubsub)
    )


def account_service(db: AsyncSession, state: AppState) -> AccountService:
    return AccountService(
        db,
        state.mailer,
        password_reset_service(db, state),
        disconnector=Disconnector(state.pubsub),
    )
