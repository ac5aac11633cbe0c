"""Every HTTP request yt-dlp makes goes through `netguard.check_fetch`, redirects included.

How yt-dlp fetches: extractors (pages, APIs), the HTTP and fragment downloaders and
thumbnails all call `YoutubeDL.urlopen`, which hands a `Request` to a `RequestDirector`; the
director picks one of its `RequestHandler`s by preference and the handler does the rest,
following redirects itself (urllib's redirect handler, requests' `resolve_redirects`). A
check on the URL handed to the director therefore sees only the first hop.

What this module does, and why these extension points:

1. `GuardedYoutubeDL` overrides `build_request_director`, the public method yt-dlp builds its
   director with, to give it exactly one handler: `GuardedRequestsRH`. Not `register_rh` +
   a preference: that registry is process-wide and keeps the stock handlers, and the
   director moves on to the next handler when one fails with an unexpected error, so a
   guard among unguarded handlers fails open. With one handler there is nothing to fall
   back to, and websocket, ftp, file and data URLs have no handler at all.
2. `GuardedRequestsRH` is yt-dlp's own requests handler (its cookies, proxies, TLS, content
   decoding and error mapping unchanged), whose sessions get each transport adapter wrapped
   in `_GuardedAdapter`. requests sends every hop, the first request and each redirect it
   follows, through the mounted adapter's `send` (requests' documented transport-adapter
   extension point), so the check runs before any connection is opened, for every URL.
   The only yt-dlp internal relied on is `RequestsRH._create_instance` returning the
   `requests.Session`; the redirect tests fail if an upgrade changes that.

Refusals are raised as `RefusedRequestError`, a yt-dlp `RequestError`, so yt-dlp reports
them as network errors rather than as bugs; `FetchGuard` keeps the first `UnsafeUrlError`
so the caller can raise it instead of yt-dlp's wrapped message.

Known limit: the name is resolved for the check and again by the connection, so a DNS
server that answers differently within milliseconds (rebinding) is not covered here.
"""

import threading
import weakref
from collections.abc import Collection, Mapping
from typing import Any

import requests
from requests.adapters import BaseAdapter
from yt_dlp import YoutubeDL
from yt_dlp.networking._requests import RequestsRH
from yt_dlp.networking.exceptions import RequestError

from medianest.kit.netguard import UnsafeUrlError, allowed_host_set, check_fetch


class RefusedRequestError(RequestError):
    """A fetch the guard refused, in the exception family yt-dlp expects from a handler."""


class FetchGuard:
    """`check_fetch` with one job's allow-list, remembering the first refusal."""

    def __init__(self, allowed_hosts: Collection[str]) -> None:
        self.allowed_hosts = allowed_host_set(allowed_hosts)
        self._lock = threading.Lock()
        self._refusal: UnsafeUrlError | None = None

    @property
    def refusal(self) -> UnsafeUrlError | None:
        with self._lock:
            return self._refusal

    def check(self, url: str) -> None:
        try:
            check_fetch(url, allowed_hosts=self.allowed_hosts)
        except UnsafeUrlError as exc:
            with self._lock:
                self._refusal = self._refusal or exc
            raise RefusedRequestError(exc.message) from exc


class _GuardedAdapter(BaseAdapter):
    """A transport adapter that asks the guard before handing each request on."""

    def __init__(self, inner: BaseAdapter, handler: "GuardedRequestsRH") -> None:
        super().__init__()
        self._inner = inner
        self._handler = handler
        self._responses: weakref.WeakSet[requests.Response] = weakref.WeakSet()

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        self._handler.check(request.url or "")
        response = self._inner.send(
            request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
        )
        self._responses.add(response)
        return response

    def close(self) -> None:
        # A download stopped mid-stream (cancelled, failed) leaves its response open, and
        # closing the pool does not close a connection a response still holds.
        for response in list(self._responses):
            response.close()
        self._inner.close()


class GuardedRequestsRH(RequestsRH):
    """yt-dlp's requests handler with every hop checked; refuses everything unguarded."""

    fetch_guard: FetchGuard | None = None

    def check(self, url: str) -> None:
        if self.fetch_guard is None:  # fail closed when built without a guard
            raise RefusedRequestError("No fetch guard is configured.")
        self.fetch_guard.check(url)

    def _create_instance(self, **kwargs: Any) -> requests.Session:
        session: requests.Session = super()._create_instance(**kwargs)
        for prefix, adapter in list(session.adapters.items()):
            session.mount(prefix, _GuardedAdapter(adapter, self))
        return session


class GuardedYoutubeDL(YoutubeDL):
    """A YoutubeDL whose only way onto the network is `GuardedRequestsRH`."""

    def __init__(self, params: dict[str, Any], *, fetch_guard: FetchGuard) -> None:
        self.fetch_guard = fetch_guard  # set first: the director may be built during init
        super().__init__(params)

    def build_request_director(self, handlers: Any, preferences: Any = None) -> Any:  # noqa: ARG002
        director = super().build_request_director([GuardedRequestsRH], preferences=())
        for handler in director.handlers.values():
            handler.fetch_guard = self.fetch_guard
        return director
