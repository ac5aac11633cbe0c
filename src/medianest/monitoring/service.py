"""Service health over time: recording checks (and announcing changes), reading the status,
the uptime and the history of each service.

With several processes each one checks and records; a change is announced only by the
process whose row follows a row of another state, and rows are added one process after the
other, so admins hear of each change once.
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from medianest.db.engine import after_commit
from medianest.kit.clock import utc_now
from medianest.kit.errors import NotFoundError
from medianest.monitoring.events import ServiceStatusPublisher
from medianest.monitoring.models import ServiceCheck
from medianest.monitoring.repository import QueueBacklogRepository, ServiceCheckRepository
from medianest.monitoring.schemas import (
    AVAILABLE_STATES,
    MAX_MESSAGE_LENGTH,
    AdminServiceRead,
    CheckOutcome,
    DashboardServiceDetail,
    DashboardServiceRead,
    HistoryPoint,
    ServiceName,
    ServiceState,
    ServiceStatusRead,
    StatusChange,
    Uptime,
)
from medianest.notifications.schemas import NotificationKind, Severity
from medianest.notifications.service import NotificationService
from medianest.realtime.emitter import Emitter
from medianest.system.schemas import DependencyHealth, DependencyStatus

LABELS = {
    ServiceName.DATABASE: "The database",
    ServiceName.REDIS: "Redis",
    ServiceName.PLEX: "Plex",
    ServiceName.OVERSEERR: "Overseerr",
    ServiceName.QUEUE: "The download queue",
    ServiceName.DATA_DISK: "The data disk",
    ServiceName.LIBRARY_DISK: "The library disk",
    ServiceName.YTDLP: "yt-dlp",
}
SEVERITIES = {
    ServiceState.UP: Severity.SUCCESS,
    ServiceState.DEGRADED: Severity.WARNING,
    ServiceState.DOWN: Severity.ERROR,
    ServiceState.NOT_CONFIGURED: Severity.INFO,
}
OBSERVED_STATUS = {
    ServiceState.UP: DependencyStatus.UP,
    ServiceState.DEGRADED: DependencyStatus.UP,  # available, as uptime counts it
    ServiceState.DOWN: DependencyStatus.DOWN,
    ServiceState.NOT_CONFIGURED: DependencyStatus.NOT_CONFIGURED,
}
StatusCounts = Mapping[tuple[str, str], int]
SERVICE_NAMES = tuple(name.value for name in ServiceName)


class CheckRecorder:
    """Adds a round of checks to the history; after commit, announces each change of state
    (`service:status` on `/system`, a stored notification and `system:notification` to
    the admins)."""

    def __init__(
        self, session: AsyncSession, emitter: Emitter, *, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._db = session
        self._now = clock
        self._checks = ServiceCheckRepository(session)
        self._publisher = ServiceStatusPublisher(emitter)
        self._notifications = NotificationService(session, emitter)

    async def record(self, outcomes: Sequence[CheckOutcome]) -> list[StatusChange]:
        """Store the outcomes, stamped once every other process's rows before them are
        stored; the changes they bring, announced after commit."""
        await self._checks.lock_history()
        checked_at = self._now()
        changes = []
        for outcome in outcomes:
            row = await self._checks.add(
                ServiceCheck(
                    service=outcome.service.value,
                    status=outcome.status.value,
                    response_ms=outcome.response_ms,
                    message=None
                    if outcome.message is None
                    else outcome.message[:MAX_MESSAGE_LENGTH],
                    details=outcome.details,
                    checked_at=checked_at,
                )
            )
            before = await self._checks.status_before(row)
            previous = None if before is None else ServiceState(before)
            if _is_news(previous, outcome.status):
                changes.append(StatusChange(outcome, previous, checked_at))
        for change in changes:
            await self._announce(change)
        return changes

    async def _announce(self, change: StatusChange) -> None:
        outcome = change.outcome
        label = LABELS[outcome.service]
        state = outcome.status.value.replace("_", " ")
        was = "unknown" if change.previous is None else change.previous.value.replace("_", " ")
        await self._notifications.notify_admins(
            kind=NotificationKind.SERVICE_STATUS,
            title=f"{label} is {state}",
            message=outcome.message or f"{label} was {was} and is {state} now.",
            severity=SEVERITIES[outcome.status],
            data={
                "service": outcome.service.value,
                "status": outcome.status.value,
                "previousStatus": None if change.previous is None else change.previous.value,
            },
        )
        publisher = self._publisher

        async def announce() -> None:
            await publisher.publish_change(change)

        after_commit(self._db, announce)


def _is_news(previous: ServiceState | None, status: ServiceState) -> bool:
    """A different state than the check before; a first check only when it finds trouble."""
    if previous is None:
        return status in (ServiceState.DOWN, ServiceState.DEGRADED)
    return previous is not status


class ServiceStatusService:
    """The status of every service as the latest checks found it, with uptime and history."""

    def __init__(self, session: AsyncSession, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._checks = ServiceCheckRepository(session)
        self._backlog = QueueBacklogRepository(session)
        self._now = clock

    async def forget_checks_before(self, cutoff: datetime) -> int:
        """Delete the history older than `cutoff`; how many checks went."""
        return await self._checks.delete_older_than(cutoff)

    async def queue_backlog(self) -> tuple[int, datetime | None]:
        """Downloads waiting for a worker, and when the oldest of them was queued."""
        return await self._backlog.waiting()

    async def statuses(self) -> list[ServiceStatusRead]:
        latest = await self._checks.latest_per_service(SERVICE_NAMES)
        return [_status(name, latest.get(name)) for name in ServiceName]

    async def observed_integrations(self) -> dict[str, DependencyHealth]:
        """Plex and Overseerr as their latest periodic check found them (for `/health`)."""
        integrations = (ServiceName.PLEX, ServiceName.OVERSEERR)
        latest = await self._checks.latest_per_service(integrations)
        return {name: _observed(check) for name, check in latest.items()}

    async def dashboard(self) -> list[DashboardServiceRead]:
        latest = await self._checks.latest_per_service(SERVICE_NAMES)
        day, week = await self._counts()
        return [_dashboard(name, latest.get(name), day, week) for name in ServiceName]

    async def detail(self, service: str, *, points: int) -> DashboardServiceDetail:
        name = _known(service)
        latest = await self._checks.latest_per_service(SERVICE_NAMES)
        day, week = await self._counts()
        history = await self._checks.recent(name, limit=points)
        return DashboardServiceDetail(
            **_dashboard(name, latest.get(name), day, week).model_dump(),
            history=[HistoryPoint.model_validate(row) for row in history],
        )

    async def admin(self) -> list[AdminServiceRead]:
        latest = await self._checks.latest_per_service(SERVICE_NAMES)
        day, week = await self._counts()
        return [
            AdminServiceRead(
                **_dashboard(name, latest.get(name), day, week).model_dump(),
                message=None if name not in latest else latest[name].message,
                details={} if name not in latest else latest[name].details,
            )
            for name in ServiceName
        ]

    async def _counts(self) -> tuple[StatusCounts, StatusCounts]:
        now = self._now()
        counts = await self._checks.status_counts(
            since=now - timedelta(days=7), recent_since=now - timedelta(hours=24)
        )
        week = {key: total for key, (total, _day) in counts.items()}
        day = {key: recent for key, (_total, recent) in counts.items()}
        return day, week


def _known(service: str) -> ServiceName:
    try:
        return ServiceName(service)
    except ValueError:
        raise NotFoundError(f"No service is called {service!r}.") from None


def _status(name: ServiceName, latest: ServiceCheck | None) -> ServiceStatusRead:
    return ServiceStatusRead(
        name=name,
        status=None if latest is None else ServiceState(latest.status),
        last_checked_at=None if latest is None else latest.checked_at,
    )


def _observed(check: ServiceCheck) -> DependencyHealth:
    state = ServiceState(check.status)
    return DependencyHealth(
        status=OBSERVED_STATUS[state], latency_ms=check.response_ms, checked_at=check.checked_at
    )


def _dashboard(
    name: ServiceName, latest: ServiceCheck | None, day: StatusCounts, week: StatusCounts
) -> DashboardServiceRead:
    return DashboardServiceRead(
        **_status(name, latest).model_dump(),
        response_ms=None if latest is None else latest.response_ms,
        uptime=Uptime(last_24h=_uptime(name, day), last_7d=_uptime(name, week)),
    )


def _uptime(name: ServiceName, counts: StatusCounts) -> float | None:
    """Percent of checks that found the service available; `not_configured` ones do not
    count either way."""
    available = sum(counts.get((name.value, state.value), 0) for state in AVAILABLE_STATES)
    total = available + counts.get((name.value, ServiceState.DOWN.value), 0)
    return None if total == 0 else round(100 * available / total, 2)
