"""The dashboard's and the admin statistics' wire shapes."""

from collections.abc import Mapping

from pydantic import Field

from medianest.auth.schemas import UserCounts
from medianest.downloads.schemas import ACTIVE_STATUSES, DownloadStatus
from medianest.kit.schemas import CamelModel
from medianest.library.schemas import MediaItemRead
from medianest.media_requests.schemas import RequestStatus

RECENTLY_ADDED_LIMIT = 10


class RequestCounts(CamelModel):
    """Media requests per status."""

    total: int
    pending: int
    approved: int
    processing: int
    partially_available: int
    available: int
    declined: int
    failed: int

    @classmethod
    def of(cls, counts: Mapping[RequestStatus, int]) -> "RequestCounts":
        return cls(total=sum(counts.values()), **{status.value: n for status, n in counts.items()})


class DownloadCounts(CamelModel):
    """Downloads per status; `active` is queued plus running."""

    total: int
    active: int
    queued: int
    running: int
    completed: int
    failed: int
    cancelled: int

    @classmethod
    def of(cls, counts: Mapping[DownloadStatus, int]) -> "DownloadCounts":
        return cls(
            total=sum(counts.values()),
            active=sum(counts[status] for status in ACTIVE_STATUSES),
            **{status.value: n for status, n in counts.items()},
        )


class DashboardStats(CamelModel):
    requests: RequestCounts = Field(description="Your media requests.")
    downloads: DownloadCounts = Field(description="Your downloads.")
    recently_added: list[MediaItemRead] = Field(
        description=f"The newest items on the Plex server, at most {RECENTLY_ADDED_LIMIT}; "
        "empty when Plex is not configured or cannot be reached."
    )
    plex_available: bool = Field(
        description="Whether Plex answered (false: not configured, down, or only an old "
        "cached answer could be shown)."
    )


class SystemFigures(CamelModel):
    uptime_seconds: float = Field(
        description="Seconds since this server process started serving: the same figure as "
        "`uptimeSeconds` of `GET /health`."
    )
    memory: str = Field(description="Memory this process uses (resident), e.g. `245MB`.")
    cpu: str = Field(description="CPU this process uses, as a share of the machine, e.g. `15%`.")
    memory_bytes: int = Field(description="`memory` in bytes.")
    cpu_percent: float = Field(description="`cpu` as a number.")


class AdminStats(CamelModel):
    users: UserCounts = Field(description="Accounts; `active` means used in the last 30 days.")
    requests: RequestCounts = Field(description="Everyone's media requests.")
    downloads: DownloadCounts = Field(description="Everyone's downloads.")
    system: SystemFigures = Field(description="This server process, measured now.")
