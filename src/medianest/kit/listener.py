"""The server's listening socket, bound before anything else starts, so a port that is taken
fails the start at once and changes nothing."""

import errno
import socket

BACKLOG = 2048
"""uvicorn's default backlog."""


class ListenError(Exception):
    """The address cannot be listened on; the message says why in words."""


def listen(host: str, port: int) -> socket.socket:
    """A TCP socket listening on `host:port` (IPv6 when the host has a colon), inheritable by
    the server's worker processes."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        sock = socket.create_server((host, port), family=family, backlog=BACKLOG)
    except OSError as exc:
        raise ListenError(_reason(exc, host, port)) from None
    sock.set_inheritable(True)
    return sock


def _reason(exc: OSError, host: str, port: int) -> str:
    where = f"{host}:{port}"
    if exc.errno == errno.EADDRINUSE:
        return (
            f"cannot listen on {where}: the port is already in use (another program, or "
            "MediaNest already running); stop it or choose another port with --port or PORT"
        )
    if exc.errno == errno.EACCES:
        return (
            f"cannot listen on {where}: permission denied (ports below 1024 need privileges); "
            "choose a port above 1023 with --port or PORT"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return (
            f"cannot listen on {where}: {host} is not an address of this machine; set "
            "--host or HOST to one of its addresses (0.0.0.0 for all)"
        )
    if isinstance(exc, socket.gaierror):
        return f"cannot listen on {where}: unknown host name {host!r} (--host or HOST)"
    return f"cannot listen on {where}: {exc.strerror or exc}"
