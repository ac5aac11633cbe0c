"""Table of contents: every domain's routers and ORM model modules, in one place.

`app.py` mounts `ROOT_ROUTERS` at the root and `API_ROUTERS` under `/api/v1`;
`migrations/env.py` imports `MODEL_MODULES` so Alembic sees the whole schema.
"""

from collections.abc import Awaitable, Callable

from fastapi import APIRouter

from medianest.admin.router import router as admin_router
from medianest.auth.router import csrf_router, public_router
from medianest.auth.router import router as auth_router
from medianest.dashboard.router import admin_router as dashboard_admin_router
from medianest.dashboard.router import router as dashboard_router
from medianest.diagnostics.hooks import record_server_error
from medianest.diagnostics.router import dev_router as diagnostics_dev_router
from medianest.diagnostics.router import errors_router, performance_router
from medianest.downloads.router import router as downloads_router
from medianest.downloads.tasks import download_tasks, recovery_job
from medianest.http.errors import UnexpectedErrorHook
from medianest.http.state import AppState
from medianest.jobs.context import JobContext
from medianest.jobs.periodic import PeriodicJob
from medianest.jobs.queue import TaskFunction
from medianest.media_requests.router import admin_router as requests_admin_router
from medianest.media_requests.router import images_router, webhook_router
from medianest.media_requests.router import router as requests_router
from medianest.media_requests.tasks import reconciliation_job
from medianest.monitoring.router import admin_router as monitoring_admin_router
from medianest.monitoring.router import dashboard_router as monitoring_dashboard_router
from medianest.monitoring.router import health_router
from medianest.monitoring.router import services_router as monitoring_services_router
from medianest.monitoring.tasks import queue_heartbeat_job, service_check_job
from medianest.notifications.router import admin_router as notifications_admin_router
from medianest.notifications.router import router as notifications_router
from medianest.operations.tasks import backup_job, maintenance_job
from medianest.plex.router import router as plex_router
from medianest.system.router import dev_router as system_dev_router
from medianest.system.router import root_router as system_root_router
from medianest.system_config.router import router as settings_router
from medianest.system_config.tasks import (
    load_stored_settings,
    settings_listener_job,
    settings_refresh_job,
)

ROOT_ROUTERS: tuple[APIRouter, ...] = (system_root_router,)
API_ROUTERS: tuple[APIRouter, ...] = (
    health_router,
    auth_router,
    csrf_router,
    public_router,
    plex_router,
    requests_router,
    images_router,
    downloads_router,
    admin_router,
    settings_router,
    requests_admin_router,
    webhook_router,
    notifications_router,
    notifications_admin_router,
    dashboard_router,
    dashboard_admin_router,
    monitoring_services_router,
    monitoring_dashboard_router,
    monitoring_admin_router,
    errors_router,
    performance_router,
)
TEST_API_ROUTERS: tuple[APIRouter, ...] = (system_dev_router, diagnostics_dev_router)
"""Mounted under `/api/v1` only when MEDIANEST_ENV=test, and only for same-site callers."""

UNEXPECTED_ERROR_HOOK: UnexpectedErrorHook = record_server_error
"""What the error boundary does with an unexpected exception besides answering 500."""

PERIODIC_JOBS: tuple[Callable[[AppState], PeriodicJob], ...] = (
    reconciliation_job,
    recovery_job,
    queue_heartbeat_job,
    service_check_job,
    backup_job,
    maintenance_job,
    settings_refresh_job,
    settings_listener_job,
)
"""Started by every server and worker process, on the timers their settings give."""

STARTUP_HOOKS: tuple[Callable[[AppState], Awaitable[None]], ...] = (load_stored_settings,)
"""Awaited in order once a server's state is built, before it starts anything else."""

TASKS: tuple[Callable[[JobContext], dict[str, TaskFunction]], ...] = (download_tasks,)
"""Each domain's queue jobs, registered by name in every process that runs the queue."""

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

TAGS: tuple[dict[str, str], ...] = (
    {"name": "auth", "description": "Sign-in, sessions, your account and CSRF tokens."},
    {"name": "public", "description": "What a signed-out browser may know about this server."},
    {"name": "plex", "description": "Browse the Plex server: libraries, search, images."},
    {"name": "requests", "description": "Search films and shows; request them (Overseerr)."},
    {"name": "images", "description": "Posters and backdrops from TMDB, cached by MediaNest."},
    {"name": "downloads", "description": "YouTube downloads into the Plex library."},
    {"name": "webhooks", "description": "Calls from other services, such as Overseerr."},
    {"name": "dashboard", "description": "Your dashboard: statistics and notifications."},
    {"name": "admin", "description": "Administration: users, audit trail. Admins only."},
    {"name": "system", "description": "Health checks and metrics."},
    {"name": "diagnostics", "description": "Error reports and performance figures."},
)
