"""Table of contents of the web API: every domain's routers and their tags, and the
socket.io events the domains send, in one place.

`app.py` mounts `ROOT_ROUTERS` at the root and `API_ROUTERS` under `/api/v1`.
"""

from fastapi import APIRouter

from medianest.admin.router import router as admin_router
from medianest.auth.router import csrf_router, public_router
from medianest.auth.router import router as auth_router
from medianest.dashboard.router import admin_router as dashboard_admin_router
from medianest.dashboard.router import router as dashboard_router
from medianest.diagnostics.hooks import record_server_error
from medianest.diagnostics.router import dev_router as diagnostics_dev_router
from medianest.diagnostics.router import errors_router, performance_router
from medianest.downloads.events import (
    DownloadCompletedEvent,
    DownloadFailedEvent,
    DownloadProgressEvent,
)
from medianest.downloads.router import router as downloads_router
from medianest.http.errors import UnexpectedErrorHook
from medianest.library.router import router as library_router
from medianest.media_requests.events import RequestUpdatedEvent
from medianest.media_requests.router import admin_router as requests_admin_router
from medianest.media_requests.router import images_router, webhook_router
from medianest.media_requests.router import router as requests_router
from medianest.monitoring.events import ServiceStatusEvent
from medianest.monitoring.router import admin_router as monitoring_admin_router
from medianest.monitoring.router import dashboard_router as monitoring_dashboard_router
from medianest.monitoring.router import health_router
from medianest.monitoring.router import services_router as monitoring_services_router
from medianest.notifications.events import SystemNotificationEvent
from medianest.notifications.router import admin_router as notifications_admin_router
from medianest.notifications.router import router as notifications_router
from medianest.realtime.events import RealtimeEvent
from medianest.system.router import dev_router as system_dev_router
from medianest.system.router import root_router as system_root_router
from medianest.system_config.router import router as settings_router

ROOT_ROUTERS: tuple[APIRouter, ...] = (system_root_router,)
API_ROUTERS: tuple[APIRouter, ...] = (
    health_router,
    auth_router,
    csrf_router,
    public_router,
    library_router,
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

REALTIME_EVENTS: tuple[type[RealtimeEvent], ...] = (
    DownloadProgressEvent,
    DownloadCompletedEvent,
    DownloadFailedEvent,
    RequestUpdatedEvent,
    SystemNotificationEvent,
    ServiceStatusEvent,
)
"""Every socket.io event MediaNest sends, in the order the reference lists them; each is
declared in its domain's `events` module."""
