"""Errors of the yt-dlp wrapper; each has its own code so a job's failure is explicit."""

from medianest.kit.errors import AppError, ErrorCode


class FfmpegRequiredError(AppError):
    """The chosen quality or format needs ffmpeg, and this server has none."""

    code = ErrorCode.FFMPEG_REQUIRED
    default_message = "This format needs ffmpeg, which is not installed on this server."


class UnsafePathError(AppError):
    """A file would have landed outside the library root: the job fails, nothing is kept."""

    code = ErrorCode.UNSAFE_PATH
    default_message = "The download would have been written outside the library folder."


class DownloadFailedError(AppError):
    """yt-dlp could not extract or download; the message carries its reason."""

    code = ErrorCode.DOWNLOAD_FAILED
    default_message = "The video could not be downloaded."


class MetadataLookupFailedError(AppError):
    """yt-dlp could not look the address up (no download was tried); the message says why."""

    code = ErrorCode.METADATA_LOOKUP_FAILED
    default_message = "The video could not be looked up."


class DownloadCancelledError(AppError):
    """`should_cancel` said stop; partial files are gone, finished entries are kept."""

    code = ErrorCode.DOWNLOAD_CANCELLED
    default_message = "The download was cancelled."
