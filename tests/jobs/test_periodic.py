"""Stopping the periodic jobs when a process shuts down: a run in progress ends on its own
(cancelled mid-statement, it would leave its database connection to be torn down while the
event loop goes away), listeners and waiting jobs stop at once."""

import asyncio

from medianest.jobs.periodic import PeriodicJob, PeriodicRunner

FOREVER = 3600.0
"""Longer than pytest-timeout: a test that waited for it fails rather than passes slowly."""


async def test_a_run_in_progress_finishes_before_the_runner_stops() -> None:
    started, release = asyncio.Event(), asyncio.Event()
    outcome: list[str] = []

    async def run() -> None:
        started.set()
        try:
            await release.wait()
            outcome.append("finished")
        except asyncio.CancelledError:
            outcome.append("cancelled")
            raise

    runner = PeriodicRunner()
    runner.start(PeriodicJob("slow", FOREVER, run, run_at_start=True))
    await started.wait()
    stopping = asyncio.create_task(runner.aclose(grace_seconds=FOREVER))
    await asyncio.sleep(0.05)
    assert not stopping.done(), "stop waits for the run"
    release.set()
    await stopping
    assert outcome == ["finished"]


async def test_a_run_longer_than_the_grace_is_cancelled() -> None:
    started = asyncio.Event()
    outcome: list[str] = []

    async def run() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            outcome.append("cancelled")
            raise

    runner = PeriodicRunner()
    runner.start(PeriodicJob("stuck", FOREVER, run, run_at_start=True))
    await started.wait()
    await runner.aclose(grace_seconds=0.05)
    assert outcome == ["cancelled"]


async def test_listeners_and_waiting_jobs_stop_at_once() -> None:
    listening = asyncio.Event()
    runs: list[str] = []

    async def listen() -> None:
        listening.set()
        await asyncio.Event().wait()

    async def scheduled() -> None:
        runs.append("ran")

    runner = PeriodicRunner()
    runner.start(PeriodicJob("listener", FOREVER, listen, run_at_start=True, listens=True))
    runner.start(PeriodicJob("hourly", FOREVER, scheduled))
    await listening.wait()
    await runner.aclose(grace_seconds=FOREVER)
    assert runs == [], "a job waiting for its first turn never runs once stopped"
