"""Every domain's ORM model module, by name: imported before the first query (so that
relationships between domains resolve) and by Alembic (so that it sees the whole schema).
Names, not imports, keep this package below the domains."""

import importlib

MODEL_MODULES: tuple[str, ...] = (
    "medianest.auth.models",
    "medianest.audit.models",
    "medianest.media_requests.models",
    "medianest.downloads.models",
    "medianest.system_config.models",
    "medianest.monitoring.models",
    "medianest.notifications.models",
    "medianest.diagnostics.models",
)


def load_models() -> None:
    for module in MODEL_MODULES:
        importlib.import_module(module)
