"""One installation, one set of secrets: every server and worker that shares a database must
hold the same JWT_SECRET, ENCRYPTION_KEY and PLEX_CLIENT_ID, or tokens signed by one are
refused by another and secrets stored by one cannot be read by another.

The first process to start records the secrets' fingerprints in the database; every later
one compares its own and refuses to run on a mismatch, naming the secrets to share. A process
about to generate secrets for a database already in use (recorded fingerprints, or accounts)
refuses before writing anything.
"""

import hashlib
import hmac
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from pydantic import SecretStr
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from medianest.db.engine import create_engine
from medianest.kit.logging import mask_url_password
from medianest.operations.databases import Database
from medianest.operations.errors import OperationError
from medianest.operations.repository import InstallationRepository
from medianest.operations.schemas import DatabaseKind
from medianest.settings import GENERATED_SECRETS, Settings
from medianest.system.schemas import CheckResult

WHERE_TO_FIND = (
    "give this process the values every other MediaNest server and worker on this database "
    "uses (their data dir's secrets.json, or their environment)"
)


class SecretsMismatchError(OperationError):
    """This process's secrets are not the installation's: starting would break sign-ins and
    stored secrets across processes."""


def fingerprint(name: str, value: str) -> str:
    """HMAC-SHA256 keyed with the secret, over its name. A fast hash is enough: anyone who can
    read the database already holds stronger oracles for both secrets (every access token is
    an HMAC with JWT_SECRET, every stored secret is encrypted with ENCRYPTION_KEY), and
    generated secrets are 256 random bits."""
    return hmac.new(value.encode(), f"medianest:{name}".encode(), hashlib.sha256).hexdigest()


def current_secrets(settings: Settings) -> dict[str, str]:
    """The generated secrets this process holds, by environment variable name."""
    values = {}
    for name in GENERATED_SECRETS:
        value = getattr(settings, name.lower())
        if value is not None:
            values[name] = value.get_secret_value() if isinstance(value, SecretStr) else value
    return values


@dataclass(frozen=True)
class Comparison:
    """This process's secrets against those recorded in the database."""

    recorded: bool
    differ: tuple[str, ...] = ()
    unset: tuple[str, ...] = ()
    """Recorded in the database but not set in this process."""

    @property
    def ok(self) -> bool:
        return not self.differ and not self.unset

    def problem(self) -> str:
        parts = []
        if self.differ:
            parts.append(
                f"{listed(self.differ)} {_be(self.differ)} not the one{_s(self.differ)} this "
                "database was used with"
            )
        if self.unset:
            parts.append(
                f"{listed(self.unset)} {_be(self.unset)} not set here, though this database "
                "was used with one"
            )
        return "; ".join(parts)


class InstallationSecrets:
    """The secrets of `settings` checked against the installation's database."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._database = Database.from_url(settings.sqlalchemy_url)
        self._secrets = current_secrets(settings)

    async def refuse_missing(self) -> None:
        """Raise SecretsMismatchError when secrets are missing here but the database is
        already in use: generated ones would not be those of the other processes."""
        missing = tuple(name for name in GENERATED_SECRETS if name not in self._secrets)
        if not missing or not await self._in_use():
            return
        raise SecretsMismatchError(
            f"{listed(missing)} {_be(missing)} not set here, though this database is already "
            f"in use (new ones would not match the other processes'): {WHERE_TO_FIND}"
        )

    async def record_or_compare(self) -> Comparison:
        """Record this process's secrets when the database has none yet (and this process
        holds them all); otherwise compare. Raise SecretsMismatchError on a mismatch."""
        async with self._connection() as connection:
            repository = InstallationRepository(connection)
            recorded = await repository.fingerprints()
            if recorded is None and len(self._secrets) == len(GENERATED_SECRETS):
                if await _added(connection, self._fingerprints()):
                    return Comparison(recorded=True)
                recorded = await repository.fingerprints()  # another process was first
        comparison = self._compare(recorded)
        if not comparison.ok:
            raise SecretsMismatchError(
                f"{comparison.problem()}: {WHERE_TO_FIND}. After replacing them on purpose, "
                "run `medianest accept-secrets`."
            )
        return comparison

    async def check(self) -> CheckResult:
        """The doctor's line: do this environment's secrets match the recorded ones?"""
        try:
            async with self._connection() as connection:
                recorded = await InstallationRepository(connection).fingerprints()
        except Exception as exc:
            detail = f"cannot read the database: {mask_url_password(str(exc).splitlines()[0])}"
            return CheckResult(name="secrets", ok=False, detail=detail)
        comparison = self._compare(recorded)
        if not comparison.recorded:
            detail = "none recorded yet (the first `medianest serve` or `worker` records them)"
        elif comparison.ok:
            detail = f"{listed(GENERATED_SECRETS)} match the ones recorded in the database"
        else:
            detail = f"{comparison.problem()}: {WHERE_TO_FIND}"
        return CheckResult(name="secrets", ok=comparison.ok, detail=detail)

    async def accept(self) -> None:
        """Record this process's secrets as the installation's, replacing what was recorded
        (after a deliberate change of secrets)."""
        missing = tuple(name for name in GENERATED_SECRETS if name not in self._secrets)
        if missing:
            raise SecretsMismatchError(
                f"{listed(missing)} {_be(missing)} not set: nothing to record"
            )
        async with self._connection() as connection:
            await InstallationRepository(connection).replace_fingerprints(self._fingerprints())

    def _fingerprints(self) -> dict[str, str]:
        return {name: fingerprint(name, value) for name, value in self._secrets.items()}

    def _compare(self, recorded: dict[str, str] | None) -> Comparison:
        if recorded is None:
            return Comparison(recorded=False)
        mine = self._fingerprints()
        differ = tuple(
            name
            for name, value in recorded.items()
            if name in mine and not hmac.compare_digest(value, mine[name])
        )
        unset = tuple(name for name in recorded if name not in mine)
        return Comparison(recorded=True, differ=differ, unset=unset)

    async def _in_use(self) -> bool:
        if self._database.kind is DatabaseKind.SQLITE and not self._database.sqlite_path.exists():
            return False
        async with self._connection() as connection:
            repository = InstallationRepository(connection)
            return await repository.fingerprints() is not None or await repository.has_users()

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[AsyncConnection]:
        engine = create_engine(
            self._settings.sqlalchemy_url,
            pool_size=1,
            timeout_seconds=self._settings.database_timeout_seconds,
        )
        try:
            async with engine.begin() as connection:
                yield connection
        finally:
            await engine.dispose()


async def _added(connection: AsyncConnection, fingerprints: dict[str, str]) -> bool:
    try:
        async with connection.begin_nested():
            await InstallationRepository(connection).add_fingerprints(fingerprints)
    except IntegrityError:
        return False
    return True


def listed(names: tuple[str, ...]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _be(names: tuple[str, ...]) -> str:
    return "is" if len(names) == 1 else "are"


def _s(names: tuple[str, ...]) -> str:
    return "" if len(names) == 1 else "s"
