"""What MediaNest reads from plex.tv, in plex.tv's own field names (camelCase JSON)."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class _PlexTvModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class PlexPin(_PlexTvModel):
    id: int
    code: str
    expires_in: int = Field(alias="expiresIn")
    expires_at: datetime | None = Field(default=None, alias="expiresAt")
    auth_token: str | None = Field(default=None, alias="authToken")


class PlexAccount(_PlexTvModel):
    id: int
    uuid: str
    username: str
    title: str | None = None
    email: str | None = None
    thumb: str | None = None


class PlexResource(_PlexTvModel):
    """A device on the account: servers it owns or that were shared with it, players..."""

    name: str
    client_identifier: str = Field(alias="clientIdentifier")
    provides: str
    owned: bool

    @property
    def is_server(self) -> bool:
        return "server" in self.provides.split(",")
