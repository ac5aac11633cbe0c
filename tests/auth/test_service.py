"""Time-dependent rules of the session service, with a clock we control (a constructor seam)."""

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medianest.audit.schemas import ClientInfo
from medianest.auth.models import User
from medianest.auth.schemas import AdminBootstrap
from medianest.auth.service.accounts import AccountService
from medianest.auth.service.config import AuthConfig
from medianest.auth.service.password_reset import PasswordResetService
from medianest.auth.service.principal import CredentialSource
from medianest.auth.service.sessions import SessionService, SignIn
from medianest.db.engine import unit_of_work
from medianest.integrations.smtp.client import DisabledMailer
from medianest.kit.clock import utc_now
from medianest.kit.errors import JwtInvalidError
from tests.fixtures.accounts import ADMIN_PASSWORD

T = TypeVar("T")
CLIENT = ClientInfo(ip_address="127.0.0.1", user_agent="pytest")
CONFIG = AuthConfig(
    secret="service-test-secret-0123456789-abcdefghijkl",
    access_lifetime=timedelta(minutes=15),
    idle_lifetime=timedelta(days=30),
    public_base="http://medianest.test",
)


class Clock:
    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self) -> datetime:
        return self.now


async def run(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    work: Callable[[SessionService], Awaitable[T]],
) -> T:
    async with unit_of_work(sessions) as session:
        return await work(SessionService(session, sessions, CONFIG, clock=clock))


async def admin_signed_in(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> SignIn:
    body = AdminBootstrap(email="admin@example.com", password=ADMIN_PASSWORD, name="Ada")
    async with unit_of_work(sessions) as session:
        resets = PasswordResetService(session, CONFIG, clock=clock)
        accounts = AccountService(session, DisabledMailer(), resets, clock=clock)
        await accounts.bootstrap_admin(body, client=CLIENT)
    return await run(
        sessions,
        clock,
        lambda auth: auth.sign_in(
            email="admin@example.com", password=ADMIN_PASSWORD, remember=True, client=CLIENT
        ),
    )


class TestExpiry:
    async def test_access_token_expires_after_its_lifetime(
        self, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        clock = Clock()
        sign_in = await admin_signed_in(sessions, clock)
        clock.now += timedelta(minutes=16)
        with pytest.raises(JwtInvalidError, match="expired"):
            await run(
                sessions,
                clock,
                lambda auth: auth.authenticate(
                    sign_in.access_token, source=CredentialSource.BEARER
                ),
            )

    async def test_session_ends_after_30_idle_days_and_refresh_extends_it(
        self, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        clock = Clock()
        sign_in = await admin_signed_in(sessions, clock)
        clock.now += timedelta(days=29)
        refreshed = await run(
            sessions, clock, lambda auth: auth.refresh(sign_in.refresh_token, client=CLIENT)
        )
        clock.now += timedelta(days=29)  # 58 days after sign-in, 29 after the last use
        again = await run(
            sessions, clock, lambda auth: auth.refresh(refreshed.refresh_token, client=CLIENT)
        )
        clock.now += timedelta(days=31)
        with pytest.raises(JwtInvalidError):
            await run(
                sessions, clock, lambda auth: auth.refresh(again.refresh_token, client=CLIENT)
            )


class TestRehash:
    async def test_sign_in_upgrades_an_outdated_hash(
        self, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        clock = Clock()
        await admin_signed_in(sessions, clock)
        weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(ADMIN_PASSWORD)
        async with unit_of_work(sessions) as session:
            await session.execute(update(User).values(password_hash=weak))
        await run(
            sessions,
            clock,
            lambda auth: auth.sign_in(
                email="admin@example.com", password=ADMIN_PASSWORD, remember=False, client=CLIENT
            ),
        )
        async with sessions() as session:
            stored = await session.scalar(select(User.password_hash))
        assert stored is not None
        assert stored != weak
        assert PasswordHasher().check_needs_rehash(stored) is False
