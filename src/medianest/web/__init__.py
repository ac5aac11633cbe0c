"""The browser app: the build of `frontend/` (in `dist/`), served next to the API."""
