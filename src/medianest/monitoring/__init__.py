"""Service health over time: periodic checks, their history, uptime and state changes."""
