"""yt-dlp's failures in words for the people who asked for the video.

yt-dlp's own text is written for its command line (`Use --cookies-from-browser …`), runs to
several hundred characters and carries ANSI colours; it goes to the log whole (`ytdlp.failed`),
and the user reads one complete sentence chosen here instead.
"""

import errno
import re
from collections.abc import Iterable

from yt_dlp.networking.exceptions import HTTPError
from yt_dlp.utils import GeoRestrictedError, UnsupportedError

from medianest.kit.reachability import causes, connection_failure

_ANSI = re.compile(r"\x1b\[[0-9;]*m")

_BY_TEXT: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), message)
    for pattern, message in (
        (
            r"not a bot",
            "YouTube asked this server to prove it is not a bot and refused the video. It "
            "usually passes after a while; if it keeps happening, YouTube is limiting this "
            "server's address.",
        ),
        (
            r"private video",
            "This video is private: only the people its owner invited can watch it.",
        ),
        (
            r"confirm your age|age[- ]restricted|inappropriate for some users",
            "This video is age-restricted: YouTube shows it only to signed-in adults, and "
            "MediaNest does not sign in to YouTube.",
        ),
        (
            r"members[- ]only|join this channel",
            "This video is for the channel's paying members only.",
        ),
        (
            r"live event will begin|premieres? in|this live event|is_upcoming",
            "This video has not started yet (an upcoming live stream or premiere): try again "
            "once it has aired.",
        ),
        (
            r"not (?:be )?available in your country|geo[- ]?restrict",
            "This video is not available in the country this server is in.",
        ),
        (
            r"video unavailable|video is unavailable|no longer available|has been removed|"
            r"does not exist|this video is not available",
            "This video is unavailable: it was removed or never existed. Check the link.",
        ),
        (
            r"requested format is not available",
            "The chosen quality or format is not offered for this video: pick another one.",
        ),
        (
            r"challenge solving failed|javascript runtime|signature extraction failed|"
            r"nsig extraction failed|js challenge",
            "YouTube's player needs a JavaScript challenge solved, and this server could not "
            "do it: an admin should update MediaNest and check the yt-dlp line of "
            "`medianest doctor`.",
        ),
    )
)

_BY_STATUS = {
    403: "The site refused access (403 Forbidden): the video may be private, limited to "
    "some countries, or need signing in.",
    404: "The site answered 404 Not Found: there is no video at this address. Check the link.",
    410: "The site answered 410 Gone: the video was removed.",
    429: "The site answered 429 Too Many Requests: it is limiting this server. Try again later.",
}


def raw_text(exc: BaseException) -> str:
    """yt-dlp's message without colours or its `ERROR: ` prefix, for the log."""
    return _ANSI.sub("", str(getattr(exc, "msg", None) or exc)).removeprefix("ERROR: ").strip()


def explain(exc: BaseException, *, url: str, timeout_seconds: float, action: str) -> str:
    """One complete sentence saying why yt-dlp could not `action` (`download`, `look up`)
    the video at `url`."""
    return _known_reason(exc, url=url, timeout_seconds=timeout_seconds) or (
        f"yt-dlp could not {action} this video for a reason MediaNest does not recognise; "
        "an admin finds yt-dlp's own words in the server log (event `ytdlp.failed`)."
    )


def _known_reason(exc: BaseException, *, url: str, timeout_seconds: float) -> str | None:
    found = list(causes(exc))
    unreachable = connection_failure(exc, url=url, timeout_seconds=timeout_seconds)
    if unreachable is not None:
        return f"Could not reach the video's site: {unreachable}."
    if (status := _http_status(found)) is not None:
        return _BY_STATUS.get(status) or _status_message(status)
    text = raw_text(exc)
    by_text = (message for pattern, message in _BY_TEXT if pattern.search(text))
    return _by_kind(found) or next(by_text, None)


def _by_kind(found: Iterable[BaseException]) -> str | None:
    for cause in found:
        if isinstance(cause, GeoRestrictedError):
            return "This video is not available in the country this server is in."
        if isinstance(cause, UnsupportedError):
            return "This address is not a video or playlist MediaNest can download."
        if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
            return "The disk is full: there is no space left for the download."
    return None


def _http_status(found: Iterable[BaseException]) -> int | None:
    for cause in found:
        if isinstance(cause, HTTPError):
            return int(cause.status)
    return None


def _status_message(status: int) -> str:
    if status >= 500:  # noqa: PLR2004 - server errors
        return f"The site failed (it answered {status}): try again later."
    return f"The site refused the request (it answered {status})."
