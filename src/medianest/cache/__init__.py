"""Cache, rate-limit storage and pub/sub: in-process by default, Redis when configured."""
