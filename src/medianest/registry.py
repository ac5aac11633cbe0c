"""Table of contents: every domain's routers and ORM model modules, in one place.

`app.py` mounts `ROOT_ROUTERS` at the root and `API_ROUTERS` under `/api/v1`;
`migrations/env.py` imports `MODEL_MODULES` so Alembic sees the whole schema.
"""

from fastapi import APIRouter

from medianest.admin.router import router as admin_router
from medianest.auth.router import csrf_router
from medianest.auth.router import router as auth_router
from medianest.plex.router import router as plex_router
from medianest.system.router import api_router as system_api_router
from medianest.system.router import dev_router as system_dev_router
from medianest.system.router import root_router as system_root_router

ROOT_ROUTERS: tuple[APIRouter, ...] = (system_root_router,)
API_ROUTERS: tuple[APIRouter, ...] = (
    system_api_router,
    auth_router,
    csrf_router,
    plex_router,
    admin_router,
)
DEV_API_ROUTERS: tuple[APIRouter, ...] = (system_dev_router,)
"""Mounted under `/api/v1` only outside production."""

MODEL_MODULES: tuple[str, ...] = (
    "medianest.auth.models",
    "medianest.audit.models",
    "medianest.system_config.models",
)

TAGS: tuple[dict[str, str], ...] = (
    {"name": "auth", "description": "Sign-in, sessions, your account and CSRF tokens."},
    {"name": "plex", "description": "Browse the Plex server: libraries, search, images."},
    {"name": "admin", "description": "Administration: users, audit trail. Admins only."},
    {"name": "system", "description": "Health checks and metrics."},
)
