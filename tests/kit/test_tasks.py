import asyncio

from medianest.kit.tasks import cancel_and_wait


async def test_a_task_that_loses_the_first_cancellation_still_stops() -> None:
    """As a redis-py subscriber does when cancelled while it connects."""
    asked = 0

    async def subscriber() -> None:
        nonlocal asked
        while True:
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                asked += 1
                if asked > 1:
                    raise

    task = asyncio.create_task(subscriber())
    await asyncio.sleep(0)
    await cancel_and_wait(task)
    assert task.cancelled()
    assert asked == 2


async def test_a_finished_task_is_left_as_it_was() -> None:
    task = asyncio.create_task(asyncio.sleep(0, result="done"))
    await task
    await cancel_and_wait(task)
    assert task.result() == "done"
