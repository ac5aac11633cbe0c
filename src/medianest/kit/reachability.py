"""Why a connection failed, in words: refused, no such host, TLS, no route, reset or silence.

HTTP and mail libraries wrap the operating system's error in two or three layers of their own
(httpx, urllib3 and requests, aiosmtplib); the cause is found by walking the chain, so
callers say "connection refused at http://plex:32400" instead of "did not answer in time".
"""

import errno
import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

_UNREACHABLE = {errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN, errno.ENETDOWN}
_TLS_HINTS = {
    "WRONG_VERSION_NUMBER": "it seems to speak plain HTTP: try http://",
    "RECORD_LAYER_FAILURE": "it seems to speak plain HTTP: try http://",
}


def where(url: str) -> str:
    """The URL as shown in messages: no user, password, query or fragment."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.hostname:
        return url.split("?", maxsplit=1)[0]
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


def describe_failure(exc: BaseException, *, url: str, timeout_seconds: float) -> str:
    """What went wrong reaching `url`, as the end of a sentence: `connection refused at
    http://plex:32400`, `no answer from … within 10 s`, `TLS certificate of … not trusted
    (self-signed certificate)`, `cannot resolve the host name plex.lan (DNS) for …`."""
    found = connection_failure(exc, url=url, timeout_seconds=timeout_seconds)
    if found is not None:
        return found
    innermost = list(causes(exc))[-1]
    return f"cannot connect to {where(url)} ({type(innermost).__name__})"


def connection_failure(exc: BaseException, *, url: str, timeout_seconds: float) -> str | None:
    """`describe_failure` when the failure is one of the network's (refused, DNS, TLS, no
    route, reset, silence); None when it is something else (a protocol's refusal)."""
    target = where(url)
    found = list(causes(exc))
    for describe in (_tls, _dns, _refused, _unreachable, _reset, _timeout):
        for cause in found:
            if (described := describe(cause, target, url, timeout_seconds)) is not None:
                return described
    return None


def causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps: causes, contexts, wrapped arguments, urllib3's
    `reason`, yt-dlp's `cause` and `exc_info`, the members of exception groups; each once."""
    seen: set[int] = set()
    pending = [exc]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = [current.__cause__, current.__context__]
        wrapped += [getattr(current, name, None) for name in ("reason", "cause")]
        wrapped += list(current.args) + list(getattr(current, "exceptions", ()))
        exc_info = getattr(current, "exc_info", None)
        if isinstance(exc_info, tuple) and len(exc_info) == 3:  # noqa: PLR2004 - (type, value, tb)
            wrapped.append(exc_info[1])
        pending += [item for item in wrapped if isinstance(item, BaseException)]


def _tls(cause: BaseException, target: str, _url: str, _timeout: float) -> str | None:
    if isinstance(cause, ssl.SSLCertVerificationError):
        reason = cause.verify_message or cause.reason or "not verified"
        return f"TLS certificate of {target} not trusted ({reason})"
    if isinstance(cause, ssl.SSLError):
        reason = str(cause.reason or cause.strerror or cause)
        hint = _TLS_HINTS.get(reason)
        readable = reason.replace("_", " ").lower()
        return f"TLS error with {target}: {readable}" + (f" ({hint})" if hint else "")
    return None


def _dns(cause: BaseException, target: str, url: str, _timeout: float) -> str | None:
    if isinstance(cause, socket.gaierror):
        host = urlsplit(url).hostname or url
        return f"cannot resolve the host name {host} (DNS) for {target}"
    return None


def _refused(cause: BaseException, target: str, _url: str, _timeout: float) -> str | None:
    if isinstance(cause, ConnectionRefusedError):
        return f"connection refused at {target}"
    return None


def _unreachable(cause: BaseException, target: str, _url: str, _timeout: float) -> str | None:
    if isinstance(cause, OSError) and cause.errno in _UNREACHABLE:
        return f"no route to {target} (host or network unreachable)"
    return None


def _reset(cause: BaseException, target: str, _url: str, _timeout: float) -> str | None:
    if isinstance(cause, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
        return f"connection reset by {target}"
    return None


def _timeout(cause: BaseException, target: str, _url: str, timeout: float) -> str | None:
    if isinstance(cause, TimeoutError) or "Timeout" in type(cause).__name__:
        return f"no answer from {target} within {timeout:g} s"
    return None
