"""The shared Redis client, with timeouts so a vanished Redis fails fast instead of hanging."""

from redis.asyncio import Redis
from redis.exceptions import RedisError

from medianest.kit.errors import ServiceUnavailableError


def create_redis(url: str, *, timeout_seconds: float) -> "Redis":
    return Redis.from_url(
        url,
        socket_timeout=timeout_seconds,
        socket_connect_timeout=timeout_seconds,
        retry_on_timeout=False,
        health_check_interval=30,
        decode_responses=False,
    )


def redis_unavailable(exc: RedisError | OSError) -> ServiceUnavailableError:
    error = ServiceUnavailableError("Redis is unavailable; try again shortly.")
    error.__cause__ = exc
    return error


__all__ = ["Redis", "RedisError", "create_redis", "redis_unavailable"]
