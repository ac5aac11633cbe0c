"""The yt-dlp wrapper against a local video site: real yt-dlp, real bytes, real attacks.

The allow-list is the site's address with its port (`127.0.0.1:<port>`): the site's own URLs
pass, and every other way to reach it (`localhost`, `[::ffff:127.0.0.1]`, a redirect) must be
refused although it would work.
"""

import http.server
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import yt_dlp
import yt_dlp_ejs
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError as PydanticValidationError
from yt_dlp.extractor.youtube.jsc._builtin.ejs import ScriptSource
from yt_dlp.extractor.youtube.jsc._director import initialize_jsc_director
from yt_dlp.extractor.youtube.jsc.provider import (
    JsChallengeRequest,
    JsChallengeType,
    NChallengeInput,
)
from yt_dlp.utils import DownloadError, ExtractorError, GeoRestrictedError, UnsupportedError

from medianest.integrations.ytdlp import messages
from medianest.integrations.ytdlp.client import YtDlpClient, find_ffmpeg
from medianest.integrations.ytdlp.errors import (
    DownloadCancelledError,
    DownloadFailedError,
    FfmpegRequiredError,
    MetadataLookupFailedError,
    UnsafePathError,
)
from medianest.integrations.ytdlp.network import FetchGuard, GuardedYoutubeDL, RefusedRequestError
from medianest.integrations.ytdlp.paths import (
    INCOMPLETE_DIR_NAME,
    MAX_COMPONENT_BYTES,
    ensure_under,
    safe_component,
)
from medianest.integrations.ytdlp.presets import (
    Container,
    DownloadOptions,
    Quality,
    format_options,
)
from medianest.integrations.ytdlp.runtime import challenge_solver, find_deno
from medianest.integrations.ytdlp.schemas import ProgressStatus, ProgressUpdate
from medianest.kit.errors import ErrorCode, ValidationError
from medianest.kit.netguard import UnsafeUrlError
from medianest.settings import Settings
from tests.fakes.videos import FEEDS, FakeVideoSite, ffmpeg_or_skip


def never() -> bool:
    return False


def ignore(_update: ProgressUpdate) -> None:
    pass


def files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    root.mkdir()
    return root


@pytest.fixture
def allowed(video_site: FakeVideoSite) -> set[str]:
    return {video_site.allowed_host}


@pytest.fixture
def client(library: Path, allowed: set[str]) -> YtDlpClient:
    ffmpeg_or_skip()
    ffmpeg = find_ffmpeg(None)
    assert ffmpeg is not None
    return YtDlpClient(library, allowed_hosts=allowed, ffmpeg=ffmpeg)


@pytest.fixture
def bare_client(library: Path, allowed: set[str]) -> YtDlpClient:
    """Built with ffmpeg disabled, although this machine has one on PATH."""
    return YtDlpClient(library, allowed_hosts=allowed, ffmpeg=None)


def download(
    client: YtDlpClient,
    url: str,
    options: DownloadOptions | None = None,
    *,
    on_progress: Callable[[ProgressUpdate], None] = ignore,
    should_cancel: Callable[[], bool] = never,
) -> list[Path]:
    result = client.download(
        url, options or DownloadOptions(), on_progress=on_progress, should_cancel=should_cancel
    )
    return list(result.files)


# ---------------------------------------------------------------------------- downloads


def test_a_video_lands_in_its_uploaders_folder(
    client: YtDlpClient, videos: FakeVideoSite, library: Path
) -> None:
    result = client.download(
        videos.watch_url("clip"), DownloadOptions(), on_progress=ignore, should_cancel=never
    )

    expected = library.resolve() / "Test Channel" / "A tiny clip [clip].mp4"
    assert result.files == (expected,)
    assert expected.read_bytes() == videos.media.small
    assert result.title == "A tiny clip"
    assert result.playlist_title is None
    assert result.entry_ids == ("clip",)
    assert files_under(library) == [expected]


def test_a_playlist_downloads_every_entry_into_its_folder(
    client: YtDlpClient, videos: FakeVideoSite, library: Path
) -> None:
    result = client.download(
        videos.feed_url("playlist"), DownloadOptions(), on_progress=ignore, should_cancel=never
    )

    folder = library.resolve() / safe_component("../../etc/My Playlist", fallback="x")
    assert folder.name == "…_…_etc_My Playlist"
    assert len(result.files) == len(FEEDS["playlist"].items)
    assert all(path.parent == folder for path in result.files)
    assert all(path.read_bytes() == videos.media.small for path in result.files)
    assert files_under(library) == sorted(result.files)
    assert result.playlist_title == "../../etc/My Playlist"
    assert result.entry_ids == ("first-item", "../../second", "/etc/third")


def test_playlist_items_choose_entries(
    client: YtDlpClient, videos: FakeVideoSite, library: Path
) -> None:
    files = download(client, videos.feed_url("playlist"), DownloadOptions(playlist_items="1,3"))

    assert [path.name for path in files] == ["First …_ item [first-item].mp4", "… [_etc_third].mp4"]
    assert files_under(library) == sorted(files)


def test_progress_goes_from_downloading_to_finished_with_byte_counts(
    client: YtDlpClient, videos: FakeVideoSite
) -> None:
    updates: list[ProgressUpdate] = []
    with videos.throttle(400_000):
        download(client, videos.watch_url("large"), on_progress=updates.append)

    size = len(videos.media.large)
    statuses = [update.status for update in updates]
    assert statuses[0] is ProgressStatus.DOWNLOADING
    assert statuses[-1] is ProgressStatus.FINISHED
    assert statuses.count(ProgressStatus.DOWNLOADING) >= 3
    counts = [update.downloaded_bytes for update in updates]
    assert counts == sorted(counts)
    assert all(update.total_bytes == size for update in updates)
    assert updates[-1].downloaded_bytes == size
    assert updates[-1].fraction == 1.0
    assert updates[len(updates) // 2].fraction is not None
    assert updates[-1].filename == "A larger clip [large].mp4"


def test_cancel_stops_the_download_and_leaves_no_partial_files(
    client: YtDlpClient, videos: FakeVideoSite, library: Path
) -> None:
    cancel = threading.Event()

    def on_progress(update: ProgressUpdate) -> None:
        if update.downloaded_bytes > 100_000:
            cancel.set()

    started = time.monotonic()
    with videos.throttle(300_000), pytest.raises(DownloadCancelledError):
        download(
            client, videos.watch_url("large"), on_progress=on_progress, should_cancel=cancel.is_set
        )

    # The whole file would take about ten seconds at this rate.
    assert time.monotonic() - started < len(videos.media.large) / 300_000 / 2
    assert files_under(library) == []
    assert list((library / INCOMPLETE_DIR_NAME).iterdir()) == []


def test_a_job_cancelled_before_it_starts_fetches_nothing(
    client: YtDlpClient, videos: FakeVideoSite
) -> None:
    with pytest.raises(DownloadCancelledError):
        download(client, videos.watch_url("clip"), should_cancel=lambda: True)
    assert videos.requests == []


def test_audio_is_extracted_with_ffmpeg(
    client: YtDlpClient, videos: FakeVideoSite, library: Path
) -> None:
    options = DownloadOptions(quality=Quality.AUDIO, container=Container.MP3)
    files = download(client, videos.watch_url("clip"), options)

    assert [path.name for path in files] == ["A tiny clip [clip].mp3"]
    assert files[0].read_bytes()[:3] in {b"ID3", b"\xff\xfb", b"\xff\xf3"}
    assert files_under(library) == files


def test_video_is_remuxed_into_the_chosen_container(
    client: YtDlpClient, videos: FakeVideoSite
) -> None:
    files = download(client, videos.watch_url("clip"), DownloadOptions(container=Container.MKV))

    assert [path.name for path in files] == ["A tiny clip [clip].mkv"]
    assert files[0].read_bytes()[:4] == b"\x1a\x45\xdf\xa3"  # Matroska (EBML) header


def test_a_video_job_and_an_audio_job_of_the_same_video_both_keep_their_file(
    client: YtDlpClient, videos: FakeVideoSite, library: Path
) -> None:
    video = download(client, videos.watch_url("clip"))
    audio = download(
        client, videos.watch_url("clip"), DownloadOptions(audio_only=True, container=Container.M4A)
    )

    assert files_under(library) == sorted(video + audio)


NOT_FOUND_SENTENCE = (
    "The site answered 404 Not Found: there is no video at this address. Check the link."
)


def test_a_failing_site_is_a_download_failure(client: YtDlpClient, videos: FakeVideoSite) -> None:
    with pytest.raises(DownloadFailedError) as raised:
        download(client, f"{videos.url}/watch/missing")
    assert raised.value.code is ErrorCode.DOWNLOAD_FAILED
    assert raised.value.message == NOT_FOUND_SENTENCE


def test_a_failing_lookup_is_a_lookup_failure(
    bare_client: YtDlpClient, videos: FakeVideoSite
) -> None:
    with pytest.raises(MetadataLookupFailedError) as raised:
        bare_client.probe(f"{videos.url}/watch/missing")
    assert raised.value.code is ErrorCode.METADATA_LOOKUP_FAILED
    assert raised.value.message == NOT_FOUND_SENTENCE


def youtube_error(text: str, cause: BaseException | None = None) -> DownloadError:
    """A failure as yt-dlp's YouTube extractor reports it: an ExtractorError (prefixed with
    the extractor and video id) turned by YoutubeDL into a coloured DownloadError."""
    error = ExtractorError(text, expected=True, video_id="dQw4w9WgXcQ", ie="youtube", cause=cause)
    return DownloadError(f"\x1b[0;31mERROR:\x1b[0m {error.msg}", (type(error), error, None))


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        (
            "Sign in to confirm you\u2019re not a bot. Use --cookies-from-browser or --cookies "
            "for the authentication. See  https://github.com/yt-dlp/yt-dlp/wiki/FAQ#how-do-i-"
            "pass-cookies-to-youtube-dl  for how to manually pass cookies. Also see  https://"
            "github.com/yt-dlp/yt-dlp/wiki/Extractors#exporting-youtube-cookies  for tips on "
            "effectively exporting YouTube cookies",
            "YouTube asked this server to prove it is not a bot and refused the video.",
        ),
        (
            "Private video. Sign in if you've been granted access to this video",
            "This video is private: only the people its owner invited can watch it.",
        ),
        (
            "Sign in to confirm your age. This video may be inappropriate for some users.",
            "This video is age-restricted: YouTube shows it only to signed-in adults, and "
            "MediaNest does not sign in to YouTube.",
        ),
        (
            "Video unavailable. This video is no longer available because the YouTube account "
            "associated with this video has been terminated.",
            "This video is unavailable: it was removed or never existed. Check the link.",
        ),
        (
            "This live event will begin in 3 hours.",
            "This video has not started yet (an upcoming live stream or premiere): try again "
            "once it has aired.",
        ),
        (
            "Join this channel to get access to members-only content like this video, and "
            "other exclusive perks.",
            "This video is for the channel's paying members only.",
        ),
        (
            "n challenge solving failed: Some formats may be missing. Ensure you have a "
            "supported JavaScript runtime and challenge solver script distribution installed.",
            "YouTube's player needs a JavaScript challenge solved, and this server could not "
            "do it: an admin should update MediaNest and check the yt-dlp line of "
            "`medianest doctor`.",
        ),
        (
            "Something yt-dlp says that nobody has seen before",
            "yt-dlp could not download this video for a reason MediaNest does not recognise; "
            "an admin finds yt-dlp's own words in the server log (event `ytdlp.failed`).",
        ),
    ],
)
def test_youtube_failures_are_explained_in_one_complete_sentence(text: str, sentence: str) -> None:
    explained = messages.explain(
        youtube_error(text),
        url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        timeout_seconds=20,
        action="download",
    )
    assert explained.startswith(sentence)
    assert explained.endswith((".", ")."))
    assert "--cookies" not in explained
    assert "ERROR" not in explained


def test_yt_dlp_errors_of_its_own_classes_are_recognised() -> None:
    url = "https://www.youtube.com/watch?v=x"
    geo = GeoRestrictedError("The uploader has not made this video available in your area")
    unsupported = UnsupportedError("https://www.youtube.com/nonsense")
    assert messages.explain(geo, url=url, timeout_seconds=20, action="download") == (
        "This video is not available in the country this server is in."
    )
    assert messages.explain(unsupported, url=url, timeout_seconds=20, action="look up") == (
        "This address is not a video or playlist MediaNest can download."
    )


# ---------------------------------------------------------------------------- without ffmpeg


@pytest.mark.parametrize(
    "options",
    [
        DownloadOptions(quality=Quality.AUDIO, container=Container.MP3),
        DownloadOptions(quality=Quality.P1080, container=Container.MKV),
    ],
)
def test_formats_needing_ffmpeg_are_refused_before_the_job_starts(
    bare_client: YtDlpClient, videos: FakeVideoSite, options: DownloadOptions
) -> None:
    with pytest.raises(FfmpegRequiredError) as raised:
        bare_client.check_options(options)
    assert raised.value.code is ErrorCode.FFMPEG_REQUIRED

    with pytest.raises(FfmpegRequiredError):
        download(bare_client, videos.watch_url("clip"), options)
    assert videos.requests == []


def test_without_ffmpeg_video_falls_back_to_a_single_file_format(
    bare_client: YtDlpClient, videos: FakeVideoSite, library: Path
) -> None:
    files = download(bare_client, videos.watch_url("clip"), DownloadOptions(quality=Quality.P720))

    assert [path.name for path in files] == ["A tiny clip [clip].mp4"]
    assert files[0].read_bytes() == videos.media.small
    assert files_under(library) == files


# ---------------------------------------------------------------------------- metadata


def test_probe_describes_a_video_without_downloading_it(
    client: YtDlpClient, videos: FakeVideoSite, library: Path
) -> None:
    metadata = client.probe(videos.watch_url("clip"))

    assert metadata.title == "A tiny clip"
    assert metadata.uploader == "Test Channel"
    assert metadata.duration == 2
    assert metadata.thumbnail == f"{videos.url}/thumb.png"
    assert metadata.webpage_url == videos.watch_url("clip")
    assert metadata.is_playlist is False
    assert metadata.entry_count is None
    assert "mp4" in metadata.formats.containers
    assert files_under(library) == []


def test_probe_counts_a_playlists_entries(client: YtDlpClient, videos: FakeVideoSite) -> None:
    metadata = client.probe(videos.feed_url("playlist"))

    assert metadata.is_playlist is True
    assert metadata.entry_count == len(FEEDS["playlist"].items)
    assert metadata.playlist_title == "../../etc/My Playlist"
    assert not [request for request in videos.requests if request.path.startswith("/media/")]


# ---------------------------------------------------------------------------- attacks: network


def test_the_mapped_loopback_address_does_reach_the_site(videos: FakeVideoSite) -> None:
    """Control for the attacks below: without the guard these URLs would be fetched."""
    url = videos.media_url(host="[::ffff:127.0.0.1]")
    assert httpx.get(url).content == videos.media.small
    assert httpx.get(videos.redirect_url(url), follow_redirects=True).status_code == 200


@pytest.mark.parametrize(
    ("target_host", "reason"),
    [("[::ffff:127.0.0.1]", "IPv4-mapped loopback"), ("169.254.169.254", "cloud metadata")],
)
def test_a_redirect_to_an_internal_address_is_refused(
    client: YtDlpClient, videos: FakeVideoSite, library: Path, target_host: str, reason: str
) -> None:
    target = videos.media_url(host=target_host)
    with pytest.raises(UnsafeUrlError) as raised:
        download(client, videos.redirect_url(target))

    assert raised.value.code is ErrorCode.UNSAFE_URL
    assert reason in raised.value.message
    assert [request.path for request in videos.requests] == ["/redirect"]
    assert files_under(library) == []


def test_a_media_url_redirecting_inward_is_refused(
    client: YtDlpClient, videos: FakeVideoSite, library: Path
) -> None:
    """The page is fine; the file it points at redirects to the mapped loopback address."""
    inward = videos.redirect_url(videos.media_url(host="[::ffff:127.0.0.1]"))
    with pytest.raises(UnsafeUrlError, match="IPv4-mapped loopback"):
        download(client, videos.page_url(inward))

    assert not [request for request in videos.requests if request.path.startswith("/media/")]
    assert files_under(library) == []


def test_a_media_url_on_an_internal_address_is_refused(
    client: YtDlpClient, videos: FakeVideoSite
) -> None:
    page = videos.page_url(videos.media_url(host="[::ffff:127.0.0.1]"))
    with pytest.raises(UnsafeUrlError):
        download(client, page)
    with pytest.raises(UnsafeUrlError):
        client.probe(videos.redirect_url(videos.media_url(host="[::ffff:7f00:1]")))
    assert not [request for request in videos.requests if request.path.startswith("/media/")]


@pytest.mark.parametrize(
    "template",
    [
        "http://localhost:{port}/watch/clip",
        "http://127.1:{port}/watch/clip",
        "http://[::1]:{port}/watch/clip",
        "http://[::ffff:127.0.0.1]:{port}/watch/clip",
        "http://2130706433:{port}/watch/clip",
        "http://user:pass@127.0.0.1:{port}/watch/clip",
        "ftp://127.0.0.1:{port}/watch/clip",
        "file:///etc/passwd",
    ],
)
def test_a_submitted_url_off_the_allow_list_is_refused_before_any_request(
    client: YtDlpClient, videos: FakeVideoSite, template: str
) -> None:
    url = template.format(port=videos.port)
    with pytest.raises(UnsafeUrlError):
        client.check_url(url)
    with pytest.raises(UnsafeUrlError):
        download(client, url)
    with pytest.raises(UnsafeUrlError):
        client.probe(url)
    assert videos.requests == []


def test_ffmpeg_may_not_fetch_urls_itself(
    client: YtDlpClient, videos: FakeVideoSite, tmp_path: Path, allowed: set[str]
) -> None:
    """Should yt-dlp ever hand a download to ffmpeg (HLS features its own downloader lacks),
    ffmpeg would bypass the guard: our parameters forbid it every network protocol."""
    from yt_dlp.downloader.external import FFmpegFD
    from yt_dlp.utils import DownloadError

    info = {"url": videos.media_url(), "protocol": "http", "ext": "mp4", "id": "x"}
    with (
        GuardedYoutubeDL(client.base_params(), fetch_guard=FetchGuard(allowed)) as ydl,
        pytest.raises(DownloadError, match="ffmpeg exited"),
    ):
        FFmpegFD(ydl, ydl.params).download(str(tmp_path / "out.mp4"), {**info, "http_headers": {}})
    assert videos.requests == []


def test_a_handler_without_a_guard_refuses_everything(
    videos: FakeVideoSite, allowed: set[str]
) -> None:
    class Unguarded(GuardedYoutubeDL):
        def build_request_director(self, handlers: object, preferences: object = None) -> object:
            director = super().build_request_director(handlers, preferences)
            for handler in director.handlers.values():
                handler.fetch_guard = None
            return director

    with Unguarded({"quiet": True}, fetch_guard=FetchGuard(allowed)) as ydl:
        with pytest.raises(RefusedRequestError, match="No fetch guard"):
            ydl.urlopen(videos.media_url())
        assert [handler.RH_KEY for handler in ydl._request_director.handlers.values()] == [
            "GuardedRequests"
        ]
    assert videos.requests == []


# ---------------------------------------------------------------------------- attacks: files


@pytest.mark.parametrize(
    ("slug", "folder", "name"),
    [
        ("escape", "…_…_Uploader", "_etc_passwd [escape].mp4"),
        ("dots", "…", "… [dots].mp4"),
        ("windows", "C__Users_…_evil", "CON_ _a_ _b_ _ c_ _d_ [windows].mp4"),
    ],
)
def test_hostile_titles_and_uploaders_become_safe_names_under_the_root(
    client: YtDlpClient, videos: FakeVideoSite, library: Path, slug: str, folder: str, name: str
) -> None:
    files = download(client, videos.watch_url(slug))

    assert files == [library.resolve() / folder / name]
    assert files_under(library) == files


def test_a_playlist_titled_dot_dot_stays_inside_the_root(
    client: YtDlpClient, videos: FakeVideoSite, library: Path
) -> None:
    files = download(client, videos.feed_url("dots"))

    assert [path.relative_to(library.resolve()).parts for path in files] == [
        ("…", "Only item [only].mp4")
    ]


def test_a_path_that_resolves_outside_the_root_fails_the_job(
    client: YtDlpClient, videos: FakeVideoSite, library: Path, tmp_path: Path
) -> None:
    """A folder of the library that is a symlink to elsewhere: the resolved path escapes."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (library / "Test Channel").symlink_to(outside, target_is_directory=True)

    with pytest.raises(UnsafePathError) as raised:
        download(client, videos.watch_url("clip"))

    assert raised.value.code is ErrorCode.UNSAFE_PATH
    assert list(outside.iterdir()) == []
    assert files_under(library) == []


# ---------------------------------------------------------------------------- presets


@pytest.mark.parametrize(
    "kwargs",
    [
        {"quality": Quality.AUDIO, "container": Container.MP4},
        {"audio_only": True, "container": Container.WEBM},
        {"quality": Quality.P720, "container": Container.MP3},
        {"playlist_items": "1;rm -rf /"},
        {"playlist_items": "0"},
        {"playlist_items": "-3"},
        {"playlist_items": "1," * 150 + "1"},
    ],
)
def test_impossible_choices_are_validation_errors(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        DownloadOptions(**kwargs)  # type: ignore[arg-type]


def test_presets_become_yt_dlp_options() -> None:
    video = format_options(DownloadOptions(Quality.P1080, Container.MP4), has_ffmpeg=True)
    assert video["format"] == "bv*+ba/b"
    assert video["format_sort"] == ["res:1080", "vcodec:h264", "ext:mp4:m4a"]
    assert video["merge_output_format"] == "mp4"

    progressive = format_options(DownloadOptions(Quality.P1080, Container.MP4), has_ffmpeg=False)
    assert progressive["format"] == "b[ext=mp4]"
    assert progressive["fixup"] == "never"
    assert "merge_output_format" not in progressive
    assert "postprocessors" not in progressive

    audio = format_options(DownloadOptions(Quality.AUDIO, Container.MP3), has_ffmpeg=True)
    assert audio["postprocessors"][0]["key"] == "FFmpegExtractAudio"
    assert format_options(DownloadOptions(Quality.AUDIO, Container.M4A), has_ffmpeg=False) == {
        "format": "ba[ext=m4a]",
        "fixup": "never",
    }
    items = DownloadOptions(playlist_items="1,3,5-7")
    assert format_options(items, has_ffmpeg=True)["playlist_items"] == "1,3,5-7"
    best = format_options(DownloadOptions(Quality.BEST), has_ffmpeg=True)
    assert not [key for key in best["format_sort"] if key.startswith("res")]


# ---------------------------------------------------------------------------- names and paths


@settings(database=None, max_examples=300)
@given(st.text(max_size=400))
def test_any_text_becomes_one_safe_component(text: str) -> None:
    name = safe_component(text, fallback="fallback")

    assert name
    assert name not in {".", ".."}
    assert ".." not in name
    assert not name.startswith((".", " "))
    assert not name.endswith((".", " "))
    assert not set(name) & set('/\\<>:"|?*\x00')
    assert len(name.encode()) <= MAX_COMPONENT_BYTES
    root = Path("/library")
    assert (root / name).parent == root
    assert len((root / name).parts) == len(root.parts) + 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("../../etc/passwd", "…_…_etc_passwd"),
        ("/absolute/path", "_absolute_path"),
        ("\uff0fetc\uff0fshadow", "_etc_shadow"),  # fullwidth solidus
        ("..", "…"),
        (".hidden", "hidden"),
        ("...", "…"),
        ("", "fallback"),
        ("   ", "fallback"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("name\u202egpj.exe", "namegpj.exe"),  # right-to-left override dropped
        ("tab\there\nnew line", "tab here new line"),
        ("trailing dots...", "trailing dots…"),
        ("Wait. What?", "Wait. What_"),
        ("é" * 100, "é" * 60),
    ],
)
def test_safe_component_examples(text: str, expected: str) -> None:
    assert safe_component(text, fallback="fallback") == expected


def test_ensure_under_accepts_only_paths_strictly_inside(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "inside").mkdir(parents=True)
    assert ensure_under(root, root / "inside" / "a.mp4") == (root / "inside" / "a.mp4").resolve()
    (root / "link").symlink_to(tmp_path, target_is_directory=True)
    for escaping in [root, root / "..", root / ".." / "x", tmp_path / "x", root / "link" / "x"]:
        with pytest.raises(UnsafePathError):
            ensure_under(root, escaping)


# ---------------------------------------------------------------------------- settings


def test_the_client_is_configured_from_settings(tmp_path: Path) -> None:
    settings = Settings(
        MEDIANEST_DATA_DIR=tmp_path,
        YOUTUBE_ALLOWED_HOSTS="127.0.0.1, Example.COM.:8443, [::1]:8080",
        FFMPEG_PATH=tmp_path / "no-such-ffmpeg",
    )
    client = YtDlpClient.from_settings(settings)

    assert client.allowed_hosts == {"127.0.0.1", "example.com:8443", "[::1]:8080"}
    assert client.library_root == tmp_path / "youtube"
    assert client.has_ffmpeg is False
    assert Settings().youtube_allowed_hosts == [
        "youtube.com",
        "www.youtube.com",
        "m.youtube.com",
        "music.youtube.com",
        "youtu.be",
    ]
    assert Settings(YOUTUBE_LIBRARY_DIR=tmp_path / "yt").youtube_library_path == tmp_path / "yt"
    with pytest.raises(PydanticValidationError, match=r"bad\.\.host"):
        Settings(YOUTUBE_ALLOWED_HOSTS="good.example, bad..host")
    with pytest.raises(PydanticValidationError):
        Settings(RATE_LIMIT_DOWNLOADS="lots")


class _RedirectHandler(http.server.BaseHTTPRequestHandler):
    target = ""

    def do_GET(self) -> None:
        self.send_response(302)
        self.send_header("Location", self.target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        return


def test_a_redirect_to_plain_127_0_0_1_is_refused_when_only_another_host_is_allowed(
    videos: FakeVideoSite, library: Path
) -> None:
    """The allow-list opens exactly its entries: a site allowed as 127.0.0.2 cannot send
    yt-dlp to 127.0.0.1 (loopback), though both are this machine."""
    handler = type("Redirect", (_RedirectHandler,), {"target": videos.media_url()})
    server = http.server.ThreadingHTTPServer(("127.0.0.2", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        client = YtDlpClient(library, allowed_hosts={f"127.0.0.2:{port}"}, ffmpeg=None)
        url = f"http://127.0.0.2:{port}/watch.mp4"
        with pytest.raises(UnsafeUrlError) as raised:
            download(client, url)
    finally:
        server.shutdown()
        server.server_close()
    assert "loopback" in raised.value.message
    assert videos.requests == []
    assert files_under(library) == []


# ---------------------------------------------------------------------------- JavaScript


def test_yt_dlp_finds_our_deno_and_runs_the_ejs_challenge_solver(tmp_path: Path) -> None:
    """YouTube's player hides media URLs behind challenges only its JavaScript answers.
    Configured as a server configures it, yt-dlp's YouTube extractor finds the deno MediaNest
    depends on, takes the solver scripts from the yt-dlp-ejs package (fetching nothing), and
    runs them: the solver parses and preprocesses a player and answers in its own JSON."""
    client = YtDlpClient.from_settings(Settings(MEDIANEST_DATA_DIR=tmp_path))
    assert client.deno is not None
    assert client.deno == find_deno()
    with yt_dlp.YoutubeDL(client.base_params()) as ydl:
        director = initialize_jsc_director(ydl.get_info_extractor("Youtube"))
        solver = next(p for p in director.providers.values() if p.PROVIDER_NAME == "deno")
        assert solver.is_available()
        assert solver.runtime_info.path == str(client.deno)
        assert solver.runtime_info.supported
        for script in (solver._lib_script, solver._core_script):
            assert script.source is ScriptSource.PYPACKAGE
            assert script.version == yt_dlp_ejs.version
        request = JsChallengeRequest(
            type=JsChallengeType.N,
            input=NChallengeInput(
                player_url="https://www.youtube.com/s/player/0/base.js", challenges=["abc"]
            ),
            video_id="dQw4w9WgXcQ",
        )
        player = "(function(g){var unrelated = 1;}).call(this);"
        answer = json.loads(
            solver._run_js_runtime(solver._construct_stdin(player, False, [request]))
        )
    assert answer["type"] == "result"
    assert "youtube.com" in answer["preprocessed_player"], "the solver ran over the player"
    assert answer["responses"] == [{"type": "error", "error": "no solutions: "}]


def test_the_challenge_solver_is_reported_ready() -> None:
    solver = challenge_solver()
    assert solver.ready
    assert solver.describe() == (
        f"JavaScript challenges solved by deno {solver.deno_version} ({solver.deno}) with "
        f"yt-dlp-ejs {yt_dlp_ejs.version}"
    )
