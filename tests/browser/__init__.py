"""Browser tests: Playwright (Python) driving Debian's Chromium against a live server."""
