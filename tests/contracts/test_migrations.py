"""Models and migrations agree, and every migration can be undone, on the test backend."""

import asyncio
from pathlib import Path

import pytest
from alembic.util.exc import CommandError
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from medianest.db import migrate
from medianest.runtime.model_modules import MODEL_MODULES
from tests.fixtures.backends import Backends, async_url

SRC = Path(__file__).resolve().parents[2] / "src" / "medianest"


def table_names(url: str) -> set[str]:
    return asyncio.run(_table_names(url))


async def _table_names(url: str) -> set[str]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    return names - {"alembic_version"}


def test_upgrade_check_downgrade_upgrade(backends: Backends) -> None:
    url = async_url(backends.new_database(migrated=False))
    migrate.upgrade(url)
    migrate.check(url)  # raises when the models hold changes no migration describes
    assert {"users", "sessions", "audit_logs", "system_config"} <= table_names(url)
    migrate.downgrade(url, "base")
    assert table_names(url) == set()
    migrate.upgrade(url)
    migrate.check(url)


def test_check_fails_on_an_unmigrated_database(backends: Backends) -> None:
    url = async_url(backends.new_database(migrated=False))
    with pytest.raises(CommandError):
        migrate.check(url)


def test_every_models_module_is_registered() -> None:
    found = {
        "medianest." + ".".join(path.relative_to(SRC).with_suffix("").parts)
        for path in SRC.rglob("models.py")
    }
    assert found == set(MODEL_MODULES)
