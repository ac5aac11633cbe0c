"""What an HTTP header value may carry."""

HEADER_SAFE_RULE = (
    "must be printable ASCII without surrounding spaces (a pasted non-breaking space?)"
)


def is_header_safe(value: str) -> bool:
    """Printable ASCII with no space at either end: what every HTTP client sends as a header.
    A pasted non-breaking space or line break would otherwise fail every request (or split
    the header)."""
    return value == value.strip() and all(" " <= char <= "~" for char in value)
