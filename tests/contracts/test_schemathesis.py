"""Schemathesis over the whole API, as an admin and as a plain user: every generated request
(examples, coverage, fuzzing and the stateful phase) gets no 5xx and a response that the
committed `openapi.json` documents — status, content type, headers and body.

Bounded to a few examples per operation and derandomized, so a run is reproducible and short.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from schemathesis.engine import Status, events, from_schema

from tests.conftest import ServerEnv
from tests.fakes.overseerr import FakeOverseerr, overseerr_env
from tests.fakes.plex import FakePlexServer, FakePlexTv, plex_env
from tests.fakes.tmdb import FakeTmdbImages, tmdb_env
from tests.fixtures.accounts import Account, bootstrap_admin, create_user
from tests.fixtures.server import LiveServer, start_server

SCHEMA_PATH = Path(__file__).parents[2] / "openapi.json"

MAX_EXAMPLES = 5
STATEFUL_STEPS = 10
SEED = 15
METRICS_TOKEN = "schemathesis-metrics-token"

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "positive_data_acceptance",
    "negative_data_rejection",
    "use_after_free",
    "ensure_resource_availability",
    "missing_required_header",
    "ignored_auth",
    "unsupported_method",
)
"""Every check but `max_response_time`, which would make the run a timing assertion."""

ACCEPTED_STATUSES = ["2xx", "3xx", "400", "401", "403", "404", "409", "410", "429"]
"""What `positive_data_acceptance` takes as accepting schema-valid data. 400 is there because
some rules are not schema: a wrong current password, an unknown or expired token, a user id
that does not exist, the password policy, an expiry in the past, seasons of a film, a host
not in YOUTUBE_ALLOWED_HOSTS. Each answers 400 `VALIDATION_ERROR` (or its own code), which
the schema documents; a Plex PIN this browser did not start is 410 `PLEX_PIN_EXPIRED`; a 5xx or an undocumented status still fails the other checks."""

EXCLUDED = {
    ("POST", "/api/v1/auth/logout"): "revokes the run's own session; later requests get 401",
}
"""Operations the run does not call, each with the reason it cannot."""


@dataclass(frozen=True)
class Site:
    server: LiveServer
    admin: Account
    user: Account


@pytest.fixture(scope="module")
def site(server_env: ServerEnv, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """An installation with Plex, Overseerr and TMDB's image host (fakes) configured: without
    them their routes rightly answer 503 `*_NOT_CONFIGURED`, which hides what they do."""
    with (
        FakePlexServer() as plex,
        FakePlexTv(plex) as plex_tv,
        FakeOverseerr() as overseerr,
        FakeTmdbImages() as tmdb,
    ):
        env = server_env(
            METRICS_TOKEN=METRICS_TOKEN,
            # Thousands of requests a minute from one address and account: a 429 is right
            # there, but hides what the request would have got.
            RATE_LIMIT_API_PER_IP="100000/minute",
            RATE_LIMIT_API_PER_USER="100000/minute",
            # No video site is reachable from a test: every generated URL is refused (400).
            YOUTUBE_ALLOWED_HOSTS="videos.invalid",
            **plex_env(plex_tv, plex),
            **overseerr_env(overseerr),
            **tmdb_env(tmdb),
        )
        live = start_server(env, workdir=tmp_path_factory.mktemp("schemathesis"))
        try:
            with live.client() as http:
                admin = bootstrap_admin(http)
                user = create_user(http, admin)
            yield Site(live, admin, user)
        finally:
            live.stop()


def run_schemathesis(base_url: str, account: Account) -> list[str]:
    """Every failure schemathesis found, as the account, one readable block each."""
    config = schemathesis.Config.from_dict(
        {
            "base-url": base_url,
            "seed": SEED,
            "headers": account.bearer,
            "request-timeout": 30,
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
            "checks": {name: {"enabled": True} for name in CHECKS}
            | {"positive_data_acceptance": {"expected-statuses": ACCEPTED_STATUSES}},
            "phases": {"stateful": {"max-steps": STATEFUL_STEPS}},
            "operations": [
                # `/metrics` takes METRICS_TOKEN, not a user's token.
                {
                    "include-path": "/metrics",
                    "headers": {"Authorization": f"Bearer {METRICS_TOKEN}"},
                },
                # DELETE /dashboard/notifications/{notification_id} also routes "read-all"
                # (it answers 400 for a non-UUID id), so `Allow` there rightly names DELETE,
                # which the schema cannot say of the literal path.
                {
                    "include-path": "/api/v1/dashboard/notifications/read-all",
                    "checks": {"allow_header_conformance": {"enabled": False}},
                },
            ],
        }
    )
    schema = schemathesis.openapi.from_path(SCHEMA_PATH, config=config)
    for method, path in EXCLUDED:
        schema = schema.exclude(method=method, path=path)
    failures: list[str] = []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            for case_id, checks in recorder.checks.items():
                for check in checks:
                    if check.status != Status.FAILURE or check.failure_info is None:
                        continue
                    failure = check.failure_info.failure
                    interaction = recorder.interactions.get(case_id)
                    response = interaction.response if interaction else None
                    body = response.content[:500] if response is not None else b""
                    failures.append(
                        f"[{event.phase}] {recorder.label}: {check.name}: {failure.title}\n"
                        f"{failure.message}\n{check.failure_info.code_sample}\n{body!r}"
                    )
        elif isinstance(event, events.NonFatalError | events.FatalError):
            failures.append(f"error: {event!r}")
    return sorted(set(failures))


@pytest.mark.timeout(600)
@pytest.mark.parametrize("role", ["admin", "user"])
def test_schemathesis_finds_nothing(site: Site, role: str) -> None:
    account = site.admin if role == "admin" else site.user
    failures = run_schemathesis(site.server.base_url, account)
    summary = sorted({failure.split("\n", 1)[0] for failure in failures})
    assert not failures, "\n".join(summary) + "\n\n" + "\n\n".join(failures)
