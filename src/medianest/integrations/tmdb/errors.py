"""Errors of the TMDB image client."""

from medianest.kit.errors import NotFoundError, UpstreamUnavailableError


class TmdbImageNotFoundError(NotFoundError):
    default_message = "TMDB has no such image."


class TmdbImagesUnreachableError(UpstreamUnavailableError):
    default_message = "The image host did not answer in time. Try again in a moment."
